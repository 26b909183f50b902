package org.raftref.trace;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns a command into the value a trace records for it (see "Values" in {@code docs/trace-format.md}): the
 * empty command, which a new leader's no-op entry carries, becomes {@code ""}; any other command the first
 * 8 bytes of its SHA-256 as 16 lowercase hex digits. The spec only ever compares values for equality, so a
 * digest serves as well as the command and keeps every line short.
 *
 * <p>The same command array usually passes several times (a leader's ClientRequest event, then the
 * AppendEntries to each peer that carries the entry), so the latest digests are kept in a small direct-mapped
 * cache, in the slot of the entry's log index, and a digest is reused only for the very same array: a command
 * array is never modified once the log holds it, and the identity check keeps a wrong index (a broken core,
 * two entries at one index) from ever giving another command's digest. The index is only where to look; no
 * {@code identityHashCode}, which costs a call into the VM for each new array a follower receives.
 *
 * <p>Not thread-safe: it reuses one {@link MessageDigest} and the cache.
 */
public final class ValueDigest {

  /** The number of hex digits in the digest of a non-empty command. */
  public static final int HEX_DIGITS = 16;

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] EMPTY_QUOTED = {'"', '"'};

  /** Slots of the cache of recent digests; a power of two. */
  private static final int CACHE_SLOTS = 1 << 12;

  private final MessageDigest sha256;
  private final byte[] @Nullable [] cachedCommands = new byte[CACHE_SLOTS][];
  private final byte[] @Nullable [] cachedQuoted = new byte[CACHE_SLOTS][];

  public ValueDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc): this cannot happen.
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
  }

  /**
   * The trace value of {@code command} as a JSON string: its ASCII bytes with the quotes, ready to copy into a
   * line. The caller must not modify the array (it is cached).
   *
   * @param index the log index of the entry that carries the command: where the cache looks (any value is
   *     correct; the entry's own index makes the leader's repeated digests hits)
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
    byte[] hash = sha256.digest(command);
    byte[] digest = new byte[HEX_DIGITS + 2];
    digest[0] = '"';
    for (int k = 0; k < HEX_DIGITS / 2; k++) {
      digest[1 + 2 * k] = HEX[(hash[k] >> 4) & 0xf];
      digest[2 + 2 * k] = HEX[hash[k] & 0xf];
    }
    digest[HEX_DIGITS + 1] = '"';
    cachedCommands[slot] = command;
    cachedQuoted[slot] = digest;
    return digest;
  }
}
