package org.raftref.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteResponse;

/** Each way a frame can be wrong, and the typed error it gets. */
class FrameCodecTest {

  private static final FrameCodec CODEC = new FrameCodec(4096);
  private static final Message VOTE = new RequestVoteResponse(2, 1, 7, true);

  private static byte[] frame(Message message) {
    ByteBuffer out = ByteBuffer.allocate((int) FrameCodec.frameSize(message));
    CODEC.encode(message, 5, out);
    return out.array();
  }

  /** Recomputes the CRC, so that the check under test is the one after it. */
  private static byte[] withFixedChecksum(byte[] frame) {
    CRC32C crc = new CRC32C();
    crc.update(frame, 0, 12);
    crc.update(frame, FrameCodec.HEADER_BYTES, frame.length - FrameCodec.HEADER_BYTES);
    ByteBuffer.wrap(frame).putInt(12, (int) crc.getValue());
    return frame;
  }

  private static DecodeResult.Malformed malformed(byte[] bytes, FrameError expected) {
    DecodeResult result = CODEC.decode(ByteBuffer.wrap(bytes));
    DecodeResult.Malformed malformed = assertInstanceOf(DecodeResult.Malformed.class, result);
    assertEquals(expected, malformed.error(), malformed.reason());
    return malformed;
  }

  @Test
  void aFrameOfAnotherProtocolHasABadMagicNumber() {
    malformed("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), FrameError.BAD_MAGIC);
    malformed(new byte[] {1, 2, 3, 4}, FrameError.BAD_MAGIC); // known bad before the header is complete
  }

  @Test
  void eachHeaderFieldIsChecked() {
    byte[] version = frame(VOTE);
    version[4] = 2;
    assertTrue(malformed(version, FrameError.UNSUPPORTED_VERSION).reason().contains("version 2"));
    byte[] type = frame(VOTE);
    type[5] = 9;
    malformed(type, FrameError.UNKNOWN_TYPE);
    byte[] flags = frame(VOTE);
    flags[7] = 1;
    malformed(flags, FrameError.BAD_FLAGS);
    byte[] checksum = frame(VOTE);
    checksum[checksum.length - 1] ^= 1;
    malformed(checksum, FrameError.BAD_CHECKSUM);
  }

  /** A header claiming 4 GiB is refused from its 16 bytes: nothing is read or allocated for the body. */
  @Test
  void anOversizedFrameIsRefusedFromItsHeader() throws Exception {
    byte[] header = Arrays.copyOf(frame(VOTE), FrameCodec.HEADER_BYTES);
    ByteBuffer.wrap(header).putInt(8, -1);
    assertTrue(malformed(header, FrameError.OVERSIZED).reason().contains("4294967311 bytes"));
    FrameReader reader = new FrameReader(new ByteArrayInputStream(header), CODEC);
    assertEquals(FrameError.OVERSIZED, assertInstanceOf(DecodeResult.Malformed.class, reader.next()).error());
  }

  @Test
  void anIncompleteFrameNeedsExactlyTheMissingBytes() {
    byte[] whole = frame(VOTE);
    assertEquals(new DecodeResult.NeedMoreBytes(3), CODEC.decode(ByteBuffer.wrap(whole, 0, whole.length - 3)));
    assertEquals(new DecodeResult.NeedMoreBytes(6), CODEC.decode(ByteBuffer.wrap(whole, 0, 10)));
  }

  @Test
  void aStreamThatEndsInsideAFrameIsTruncated() throws Exception {
    byte[] whole = frame(VOTE);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(whole, 0, whole.length - 1), CODEC);
    DecodeResult.Malformed truncated = assertInstanceOf(DecodeResult.Malformed.class, reader.next());
    assertEquals(FrameError.TRUNCATED, truncated.error());
  }

  @Test
  void aBodyMustBeConsumedExactly() {
    byte[] whole = frame(VOTE);
    byte[] longer = Arrays.copyOf(whole, whole.length + 1);
    ByteBuffer.wrap(longer).putInt(8, whole.length + 1 - FrameCodec.HEADER_BYTES);
    assertTrue(malformed(withFixedChecksum(longer), FrameError.BAD_BODY).reason().contains("left over"));
    byte[] shorter = Arrays.copyOf(whole, whole.length - 1);
    ByteBuffer.wrap(shorter).putInt(8, whole.length - 1 - FrameCodec.HEADER_BYTES);
    malformed(withFixedChecksum(shorter), FrameError.BAD_BODY);
  }

  @Test
  void aBooleanIsZeroOrOne() {
    byte[] bytes = frame(VOTE);
    bytes[bytes.length - 1] = 2;
    assertTrue(malformed(withFixedChecksum(bytes), FrameError.BAD_BODY).reason().contains("not 0 or 1"));
  }

  /** An entry count the body cannot hold is refused before anything is allocated for it. */
  @Test
  void anEntryCountLargerThanTheBodyIsRefused() {
    Message request = new AppendEntriesRequest(1, 2, 3, 0, 0, List.of(new LogEntry(3, new byte[] {1})), 0);
    byte[] bytes = frame(request);
    ByteBuffer.wrap(bytes).putInt(FrameCodec.HEADER_BYTES + 8 + 40, Integer.MAX_VALUE);
    assertTrue(malformed(withFixedChecksum(bytes), FrameError.BAD_BODY).reason().contains("claims 2147483647 entries"));
  }

  @Test
  void aWellFramedButImpossibleMessageIsInvalid() {
    Message backwards = new AppendEntriesRequest(1, 2, 3, 0, 0,
        List.of(new LogEntry(2, new byte[0]), new LogEntry(1, new byte[0])), 0);
    assertTrue(malformed(frame(backwards), FrameError.INVALID_MESSAGE).reason().contains("non-decreasing"));
    malformed(frame(new RequestVoteResponse(0, 1, 1, false)), FrameError.INVALID_MESSAGE);
  }

  @Test
  void aNegativeClockIsABadBody() {
    byte[] bytes = frame(VOTE);
    ByteBuffer.wrap(bytes).putLong(FrameCodec.HEADER_BYTES, -1);
    assertTrue(malformed(withFixedChecksum(bytes), FrameError.BAD_BODY).reason().contains("clock is negative"));
    assertThrows(IllegalArgumentException.class, () -> CODEC.encode(VOTE, -1, ByteBuffer.allocate(100)));
  }

  @Test
  void aHelloNamesPositiveNodeIds() {
    ByteBuffer out = ByteBuffer.allocate(64);
    CODEC.encode(new Hello(3, 1), out);
    out.flip();
    assertEquals(new DecodeResult.HelloFrame(new Hello(3, 1)), CODEC.decode(out));
    ByteBuffer zero = ByteBuffer.allocate(64);
    CODEC.encode(new Hello(0, 1), zero);
    malformed(Arrays.copyOf(zero.array(), zero.position()), FrameError.BAD_BODY);
  }

  @Test
  void aMessageTooLargeForAFrameIsNotEncoded() {
    Message big = new AppendEntriesRequest(1, 2, 3, 0, 0, List.of(new LogEntry(3, new byte[5000])), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CODEC.encode(big, 0, ByteBuffer.allocate(6000)));
    assertTrue(e.getMessage().contains("more than the maximum 4096"), e.getMessage());
  }
}
