package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
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

  /**
   * The digest as its Javadoc defines it, written the slow way: bytes assembled into words one at a time. The
   * fast version reads 8 bytes at once; this catches a wrong byte order, a wrong tail or a skipped word.
   */
  private static long referenceDigest(byte[] command) {
    long state = 0x9E3779B97F4A7C15L * (command.length + 1L);
    int words = command.length / 8;
    for (int w = 0; w <= words; w++) {
      long word = 0;
      for (int b = 7; b >= 0; b--) {
        int at = 8 * w + b;
        word = (word << 8) | (at < command.length ? command[at] & 0xff : 0);
      }
      long scrambled = Long.rotateLeft(word * 0x94D049BB133111EBL, 31) * 0x9E3779B97F4A7C15L;
      state = Long.rotateLeft(state ^ scrambled, 27) * 0xBF58476D1CE4E5B9L;
    }
    long x = state;
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }

  @Test
  void theDigestIsTheOneItsDefinitionGivesAtEveryLength() {
    Random random = new Random(2026);
    for (int length = 0; length <= 300; length++) {
      for (int sample = 0; sample < 20; sample++) {
        byte[] command = new byte[length];
        random.nextBytes(command);
        assertEquals(referenceDigest(command), ValueDigest.digest(command), "length " + length);
      }
    }
  }

  @Test
  void aNonEmptyCommandIsItsDigestInSixteenLowercaseHexDigits() {
    byte[] command = "test".getBytes(StandardCharsets.US_ASCII);
    assertEquals(String.format("%016x", ValueDigest.digest(command)), valueOf(digest, command));
    byte[] asDigest = java.nio.ByteBuffer.allocate(8).putLong(ValueDigest.digest(command)).array();
    assertEquals(valueOf(digest, command), valueOf(ValueDigest.ofDigests(), asDigest),
        "the journal's converter writes the same value from the 8 bytes of the digest");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ValueDigest.ofDigests().quoted(new byte[5], 1));
    assertEquals("a digest has 8 bytes, this one 5", e.getMessage());
  }

  /** Short commands, and commands that differ only in trailing zeros, all get different digests. */
  @Test
  void commandsThatDifferGetDifferentDigests() {
    Set<Long> seen = new HashSet<>();
    for (int a = 0; a < 256; a++) {
      assertTrue(seen.add(ValueDigest.digest(new byte[] {(byte) a})), "1 byte " + a);
      for (int b = 0; b < 256; b++) {
        assertTrue(seen.add(ValueDigest.digest(new byte[] {(byte) a, (byte) b})), "2 bytes " + a + ", " + b);
      }
    }
    for (int zeros = 3; zeros <= 64; zeros++) {
      assertTrue(seen.add(ValueDigest.digest(new byte[zeros])), zeros + " zero bytes");
    }
    Random random = new Random(7);
    for (int k = 0; k < 200_000; k++) {
      byte[] command = new byte[100];
      random.nextBytes(command);
      assertTrue(seen.add(ValueDigest.digest(command)), "random command " + k);
    }
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
