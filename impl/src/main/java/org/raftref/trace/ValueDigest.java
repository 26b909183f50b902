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
 * AppendEntries to each peer that carries the entry), so the latest digests are kept by the array's
 * identity in a small direct-mapped cache: a command array is never modified once the log holds it.
 *
 * <p>Not thread-safe: it reuses one {@link MessageDigest} and the cache.
 */
public final class ValueDigest {

  /** The number of hex digits in the digest of a non-empty command. */
  public static final int HEX_DIGITS = 16;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Slots of the cache of recent digests; a power of two. */
  private static final int CACHE_SLOTS = 1 << 12;

  private final MessageDigest sha256;
  private final char[] chars = new char[HEX_DIGITS];
  private final byte[] @Nullable [] cachedCommands = new byte[CACHE_SLOTS][];
  private final @Nullable String[] cachedDigests = new String[CACHE_SLOTS];

  public ValueDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc): this cannot happen.
      throw new IllegalStateException("this JVM lacks SHA-256", e);
    }
  }

  /** The trace value of {@code command}. */
  public String of(byte[] command) {
    if (command.length == 0) {
      return "";
    }
    int slot = System.identityHashCode(command) & (CACHE_SLOTS - 1);
    String cached = cachedDigests[slot];
    if (cached != null && cachedCommands[slot] == command) {
      return cached;
    }
    byte[] hash = sha256.digest(command);
    for (int k = 0; k < HEX_DIGITS / 2; k++) {
      chars[2 * k] = HEX[(hash[k] >> 4) & 0xf];
      chars[2 * k + 1] = HEX[hash[k] & 0xf];
    }
    String digest = new String(chars);
    cachedCommands[slot] = command;
    cachedDigests[slot] = digest;
    return digest;
  }
}
