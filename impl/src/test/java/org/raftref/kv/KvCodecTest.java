package org.raftref.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The request and result format of {@link KvCodec}: exact bytes, round trips, and every decode error. */
class KvCodecTest {

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static String requestError(byte[] bytes) {
    return assertThrows(MalformedCommandException.class, () -> KvRequest.decode(bytes)).getMessage();
  }

  @Test
  void putIsEncodedAsTheFormatSays() {
    byte[] encoded = new KvRequest(300, 1, new KvCommand.Put("k", "vv")).encode();
    // version 1, PUT, client 300 = varint AC 02, sequence 1, key "k", value "vv"
    assertArrayEquals(bytes(1, 2, 0xAC, 0x02, 1, 1, 'k', 2, 'v', 'v'), encoded);
  }

  @Test
  void everyCommandRoundTrips() {
    List<KvCommand> commands = List.of(new KvCommand.Get("k"), new KvCommand.Put("k", "v"),
        new KvCommand.Append("clé", "välue ✓"), new KvCommand.Delete(""), new KvCommand.Put("", ""));
    for (KvCommand command : commands) {
      for (long clientId : new long[] {0, 1, Long.MAX_VALUE, -1}) {
        KvRequest request = new KvRequest(clientId, Long.MAX_VALUE, command);
        assertEquals(request, roundTrip(request));
      }
    }
  }

  private static KvRequest roundTrip(KvRequest request) {
    try {
      return KvRequest.decode(request.encode());
    } catch (MalformedCommandException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void everyResultRoundTrips() throws MalformedCommandException {
    for (KvResult result : List.of(KvResult.OK, KvResult.NOT_FOUND, new KvResult.Value(""),
        new KvResult.Value("v ✓"), new KvResult.Rejected("why"))) {
      assertEquals(result, KvResult.decode(result.encode()));
    }
  }

  @Test
  void unpairedSurrogateIsRefusedWhenEncoding() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KvRequest(1, 1, new KvCommand.Get("a\uD800b")).encode());
    assertEquals("the key is not valid Unicode text (it holds an unpaired surrogate), so it has no UTF-8 form",
        e.getMessage());
  }

  @Test
  void sequenceBelowOneIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new KvRequest(1, 0, new KvCommand.Get("k")));
    assertEquals("a request's sequence number must be at least 1, was 0", e.getMessage());
  }

  @Test
  void decodeErrorsNameTheInputTheOffsetAndTheProblem() {
    assertEquals("request is empty (0 bytes)", requestError(bytes()));
    assertEquals("request of 1 bytes, byte 0: format version 2 is not supported (this build reads version 1)",
        requestError(bytes(2)));
    assertEquals("request of 1 bytes, byte 1: ends where the operation code should be", requestError(bytes(1)));
    assertEquals("request of 6 bytes, byte 1: unknown operation code 9 (1 GET, 2 PUT, 3 APPEND, 4 DELETE)",
        requestError(bytes(1, 9, 1, 1, 1, 'k')));
    assertEquals("request of 3 bytes, byte 2: ends inside the client id", requestError(bytes(1, 1, 0x80)));
    assertEquals("request of 4 bytes, byte 2: the client id is not in its shortest form",
        requestError(bytes(1, 1, 0x81, 0x00)));
    assertEquals("request of 12 bytes, byte 2: the client id does not fit in 64 bits",
        requestError(bytes(1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02)));
    assertEquals("request of 6 bytes, byte 3: sequence number 0 is out of range (1..9223372036854775807)",
        requestError(bytes(1, 1, 7, 0, 1, 'k')));
    assertEquals("request of 6 bytes, byte 4: the key length 5 is more than the 1 bytes left",
        requestError(bytes(1, 1, 7, 1, 5, 'k')));
    assertEquals("request of 6 bytes, byte 5: the key (1 bytes) is not well-formed UTF-8",
        requestError(bytes(1, 1, 7, 1, 1, 0xC3)));
    assertEquals("request of 6 bytes, byte 6: ends inside the value length",
        requestError(bytes(1, 2, 7, 1, 1, 'k')));
    assertEquals("request of 8 bytes, byte 6: 2 unexpected bytes after the last field",
        requestError(bytes(1, 1, 7, 1, 1, 'k', 0, 0)));
  }

  @Test
  void sequenceAboveLongMaxIsOutOfRange() {
    byte[] tooBig = bytes(1, 1, 7, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 1, 'k');
    assertEquals("request of 15 bytes, byte 3: sequence number 9223372036854775808 is out of range"
        + " (1..9223372036854775807)", requestError(tooBig));
  }

  @Test
  void resultDecodeErrorsNameTheResult() {
    MalformedCommandException e = assertThrows(MalformedCommandException.class,
        () -> KvResult.decode(bytes(1, 7)));
    assertEquals("result of 2 bytes, byte 1: unknown result tag 7 (1 OK, 2 VALUE, 3 NOT_FOUND, 4 REJECTED)",
        e.getMessage());
  }
}
