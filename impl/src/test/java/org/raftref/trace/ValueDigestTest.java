package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The value a trace records for a command: docs/trace-format.md, "Values". */
class ValueDigestTest {

  private final ValueDigest digest = new ValueDigest();

  /** The digest without its JSON quotes; the index only picks a cache slot. */
  private static String valueOf(ValueDigest digest, byte[] command) {
    byte[] quoted = digest.quoted(command, -1);
    assertEquals('"', quoted[0]);
    assertEquals('"', quoted[quoted.length - 1]);
    return new String(quoted, 1, quoted.length - 2, StandardCharsets.US_ASCII);
  }

  @Test
  void nonEmptyCommandIsTheFirstEightBytesOfItsSha256InHex() {
    // FIPS 180-2 test vector: SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223 ...
    assertEquals("ba7816bf8f01cfea", valueOf(digest, "abc".getBytes(StandardCharsets.US_ASCII)));
    // SHA-256("test") = 9f86d081884c7d65 9a2feaa0c55ad015 ..., reusing the same digest instance.
    assertEquals("9f86d081884c7d65", valueOf(digest, "test".getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * The cache looks in the slot of the given index but answers from it only for the very same array: an
   * equal array elsewhere gets the same digest, and a different array in the slot never gets another's digest,
   * whether the index is the entry's own or a wrong one (a broken core), so every answer is that of its bytes.
   */
  @Test
  void cachedDigestsAreAlwaysThoseOfTheirOwnBytes() {
    ValueDigest fresh = new ValueDigest();
    byte[][] commands = new byte[20_000][];
    for (int k = 0; k < commands.length; k++) {
      commands[k] = ("command " + k).getBytes(StandardCharsets.US_ASCII);
    }
    for (int round = 0; round < 3; round++) { // more arrays than slots: slots are shared and overwritten
      for (int k = 0; k < commands.length; k++) {
        String expected = "\"" + valueOf(fresh, commands[k].clone()) + "\"";
        assertEquals(expected, new String(digest.quoted(commands[k], k + 1), StandardCharsets.US_ASCII));
        assertEquals(expected, new String(digest.quoted(commands[k], 7), StandardCharsets.US_ASCII));
        assertEquals(expected, new String(digest.quoted(commands[k].clone(), k + 1), StandardCharsets.US_ASCII));
      }
    }
  }

  @Test
  void emptyCommandOfTheNoOpEntryIsTheEmptyString() {
    assertEquals("", valueOf(digest, new byte[0]));
  }
}
