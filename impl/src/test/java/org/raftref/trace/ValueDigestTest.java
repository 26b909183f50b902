package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The value a trace records for a command: docs/trace-format.md, "Values". */
class ValueDigestTest {

  private final ValueDigest digest = new ValueDigest();

  @Test
  void nonEmptyCommandIsTheFirstEightBytesOfItsSha256InHex() {
    // FIPS 180-2 test vector: SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223 ...
    assertEquals("ba7816bf8f01cfea", digest.of("abc".getBytes(StandardCharsets.US_ASCII)));
    // SHA-256("test") = 9f86d081884c7d65 9a2feaa0c55ad015 ..., reusing the same digest instance.
    assertEquals("9f86d081884c7d65", digest.of("test".getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The cache is keyed by the array's identity: an equal array elsewhere gets the same digest, a different
   * array in the same cache slot never gets another's digest, and every answer stays that of its own bytes.
   */
  @Test
  void cachedDigestsAreAlwaysThoseOfTheirOwnBytes() {
    ValueDigest fresh = new ValueDigest();
    byte[][] commands = new byte[20_000][];
    for (int k = 0; k < commands.length; k++) {
      commands[k] = ("command " + k).getBytes(StandardCharsets.US_ASCII);
    }
    for (int round = 0; round < 3; round++) { // more arrays than slots: slots are shared and overwritten
      for (byte[] command : commands) {
        assertEquals(fresh.of(command.clone()), digest.of(command));
      }
    }
  }

  @Test
  void emptyCommandOfTheNoOpEntryIsTheEmptyString() {
    assertEquals("", digest.of(new byte[0]));
  }
}
