package org.raftref.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns a command into the value a trace records for it (see "Values" in {@code docs/trace-format.md}): the
 * empty command, which a new leader's no-op entry carries, becomes {@code ""}; any other command its 64-bit
 * digest ({@link #digest}) as 16 lowercase hex digits. The spec only ever compares values for equality, so a
 * digest serves as well as the command and keeps every line short. The digest is not a cryptographic one: it
 * only has to tell apart the commands of one run, which nobody chooses against it, and it is cheap enough
 * for a running server to take of every command it traces (a SHA-256 cost about ten times as much).
 *
 * <p>The same command array usually passes several times (a leader's ClientRequest event, then the
 * AppendEntries to each peer that carries the entry), so the latest values are kept in a small direct-mapped
 * cache, in the slot of the entry's log index, and a value is reused only for the very same array: a command
 * array is never modified once the log holds it, and the identity check keeps a wrong index (a broken core,
 * two entries at one index) from ever giving another command's value.
 *
 * <p>{@link #ofDigests()} makes the variant that the runtime's journal converter uses: there a non-empty
 * "command" is already the 8 bytes of its digest, big-endian, and is only written out in hex.
 *
 * <p>Not thread-safe: the cache is shared.
 */
public final class ValueDigest {

  /** The number of hex digits in the value of a non-empty command. */
  public static final int HEX_DIGITS = 16;

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_QUOTED = {'"', '"'};
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  // Odd 64-bit constants with well-mixed bits (those of SplitMix64 and the golden ratio).
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long MIX1 = 0xBF58476D1CE4E5B9L;
  private static final long MIX2 = 0x94D049BB133111EBL;

  /** Slots of the cache of recent values; a power of two. */
  private static final int CACHE_SLOTS = 1 << 12;

  private final boolean commandsAreDigests;
  private final byte[] @Nullable [] cachedCommands = new byte[CACHE_SLOTS][];
  private final byte[] @Nullable [] cachedQuoted = new byte[CACHE_SLOTS][];

  /** Values of commands. */
  public ValueDigest() {
    this(false);
  }

  private ValueDigest(boolean commandsAreDigests) {
    this.commandsAreDigests = commandsAreDigests;
  }

  /** Values of commands that are already their digests: 8 bytes, big-endian (or empty for the no-op). */
  public static ValueDigest ofDigests() {
    return new ValueDigest(true);
  }

  /**
   * The 64-bit digest of a command. Each 8 bytes (little-endian; the last, shorter group padded with zeros)
   * are scrambled and folded into a state that starts from the length, so that commands of different lengths
   * differ even when they differ only in trailing zeros; a final avalanche spreads every input bit over the
   * whole result. Two different commands give the same digest with probability about 2⁻⁶⁴.
   */
  public static long digest(byte[] command) {
    long state = GOLDEN * (command.length + 1L);
    int at = 0;
    for (; at + 8 <= command.length; at += 8) {
      state = Long.rotateLeft(state ^ scramble((long) LONGS.get(command, at)), 27) * MIX1;
    }
    long last = 0;
    for (int k = command.length - 1; k >= at; k--) {
      last = (last << 8) | (command[k] & 0xff);
    }
    state = Long.rotateLeft(state ^ scramble(last), 27) * MIX1;
    return avalanche(state);
  }

  private static long scramble(long word) {
    return Long.rotateLeft(word * MIX2, 31) * GOLDEN;
  }

  /** SplitMix64's finalizer: every input bit changes each output bit with probability about one half. */
  private static long avalanche(long x) {
    x = (x ^ (x >>> 30)) * MIX1;
    x = (x ^ (x >>> 27)) * MIX2;
    return x ^ (x >>> 31);
  }

  /**
   * The trace value of {@code command} as a JSON string: its ASCII bytes with the quotes, ready to copy into a
   * line. The caller must not modify the array (it is cached).
   *
   * @param index the log index of the entry that carries the command: where the cache looks (any value is
   *     correct; the entry's own index makes the leader's repeated values hits)
   * @throws IllegalArgumentException for {@link #ofDigests()}, if a non-empty command is not 8 bytes
   */
  public byte[] quoted(byte[] command, long index) {
    if (command.length == 0) {
      return EMPTY_QUOTED;
    }
    int slot = (int) (index & (CACHE_SLOTS - 1));
    byte[] cached = cachedQuoted[slot];
    if (cached != null && cachedCommands[slot] == command) {
      return cached;
    }
    long digest;
    if (commandsAreDigests) {
      if (command.length != 8) {
        throw new IllegalArgumentException("a digest has 8 bytes, this one " + command.length);
      }
      digest = java.nio.ByteBuffer.wrap(command).getLong();
    } else {
      digest = digest(command);
    }
    byte[] quoted = new byte[HEX_DIGITS + 2];
    quoted[0] = '"';
    for (int k = 0; k < HEX_DIGITS; k++) {
      quoted[1 + k] = HEX[(int) (digest >>> (60 - 4 * k)) & 0xf];
    }
    quoted[HEX_DIGITS + 1] = '"';
    cachedCommands[slot] = command;
    cachedQuoted[slot] = quoted;
    return quoted;
  }
}
