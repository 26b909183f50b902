package org.raftref.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the request format and of the state machine on arbitrary input. */
class KvCodecProperties {

  @Provide
  Arbitrary<KvRequest> requests() {
    Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(20)
        .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)); // only well-formed text
    Arbitrary<KvCommand> commands = Arbitraries.oneOf(
        text.map(KvCommand.Get::new),
        Combinators.combine(text, text).as(KvCommand.Put::new),
        Combinators.combine(text, text).as(KvCommand.Append::new),
        text.map(KvCommand.Delete::new));
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs().greaterOrEqual(1), commands)
        .as(KvRequest::new);
  }

  @Property
  void requestsRoundTrip(@ForAll("requests") KvRequest request) throws MalformedCommandException {
    assertEquals(request, KvRequest.decode(request.encode()));
  }

  /**
   * One value, one encoding: decoding accepts only the bytes that encoding produces. Checked on valid
   * requests with one bit flipped, most of which still look nearly right.
   */
  @Property
  void acceptedBytesAreTheCanonicalEncoding(@ForAll("requests") KvRequest original, @ForAll int flip) {
    byte[] bytes = original.encode();
    int bit = Math.floorMod(flip, bytes.length * 8);
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    try {
      KvRequest request = KvRequest.decode(bytes);
      assertArrayEquals(bytes, request.encode());
    } catch (MalformedCommandException expected) {
      // most arbitrary bytes are not a request
    }
  }

  /** Whatever bytes reach the log, apply answers with a well-formed result and never throws. */
  @Property
  void applyNeverThrowsAndAlwaysAnswersAResult(@ForAll byte[] bytes) throws MalformedCommandException {
    KvStateMachine machine = new KvStateMachine();
    byte[] result = machine.apply(1, bytes);
    if (bytes.length > 0) {
      KvResult.decode(result);
    }
  }

  /** Bit flips in a valid request: still never an exception, and the next entry still applies. */
  @Property
  void corruptedRequestsAreAnsweredNotThrown(@ForAll("requests") KvRequest request, @ForAll int flip)
      throws MalformedCommandException {
    byte[] bytes = request.encode();
    int bit = Math.floorMod(flip, bytes.length * 8);
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    KvStateMachine machine = new KvStateMachine();
    KvResult.decode(machine.apply(1, bytes));
    // The flip may leave a valid request of some client; the next entry comes from another one.
    long otherClient = 1;
    try {
      otherClient = KvRequest.decode(bytes).clientId() + 1;
    } catch (MalformedCommandException e) {
      // no client took a sequence number
    }
    byte[] next = new KvRequest(otherClient, 1, new KvCommand.Put("k", "v")).encode();
    assertEquals(KvResult.OK, KvResult.decode(machine.apply(2, next)));
  }
}
