package org.raftref.runtime.trace;

import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.ValueDigest;

/**
 * Digests of commands taken before the driver records them, by the thread that had the bytes in its cache:
 * a client's thread digests the copy it proposes, a transport thread the entries it decoded. The driver
 * hands them over, in order, before the step that records those commands; the journal then takes a digest
 * from here instead of reading the command again. On the driver, reading a command another thread wrote
 * costs cache misses: in a traced cluster digesting was about 40% of what recording a leader's
 * ClientRequest cost, and most of what a follower's HandleAppendEntriesRequest cost (docs/performance.md).
 *
 * <p>A digest is used only for the very array it was taken of, in the order given: the journal asks for
 * each command it records, and gets the digest given for that array (looking forward from the last one it
 * got), else it digests the command itself. So a digest is never attributed to another command; and since a
 * command's array is never changed once proposed or received (see {@code Input}), it is the digest of what
 * the array holds.
 *
 * <p>Not thread-safe: the driver fills it and the journal, on the driver thread, reads it. The digests
 * themselves were taken on other threads and reach the driver through its mailbox's lock, with the commands.
 */
public final class KnownDigests {

  private byte[] @Nullable [] commands = new byte[64][];
  private long[] digests = new long[64];
  private int count;
  private int next;
  private long taken;
  private long computed;

  /** Forgets the digests given so far (the arrays too, so that they are not kept alive from here). */
  public void clear() {
    Arrays.fill(commands, 0, count, null);
    count = 0;
    next = 0;
  }

  /** The next command the driver will record is {@code command}, whose digest another thread took. */
  public void add(byte[] command, long digest) {
    if (count == commands.length) {
      commands = Arrays.copyOf(commands, 2 * count);
      digests = Arrays.copyOf(digests, 2 * count);
    }
    commands[count] = command;
    digests[count] = digest;
    count++;
  }

  /**
   * The digest of {@code command}: the one given for this array, looked for from the last one used on (the
   * journal skips some, such as empty commands, which have no digest), else computed now.
   */
  long digestOf(byte[] command) {
    for (int k = next; k < count; k++) {
      if (commands[k] == command) {
        next = k + 1;
        taken++;
        return digests[k];
      }
    }
    computed++;
    return ValueDigest.digest(command);
  }

  /** Digests taken from here so far. */
  public long taken() {
    return taken;
  }

  /** Digests the driver had to compute itself so far (commands nobody digested before). */
  public long computed() {
    return computed;
  }
}
