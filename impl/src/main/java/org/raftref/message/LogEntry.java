package org.raftref.message;

import java.util.Arrays;

/**
 * One log entry: the term in which a leader created it and the client's command. An entry's index is its
 * position in the log and is not stored in it.
 *
 * <p>The command array is never modified after construction (callers hand over ownership); it is not copied,
 * so that replication does not copy every command once per follower.
 */
public record LogEntry(long term, byte[] command) {

  private static final byte[] EMPTY = new byte[0];

  /** The entry a new leader appends to commit entries of earlier terms (thesis §6.4). */
  public static LogEntry noop(long term) {
    return new LogEntry(term, EMPTY);
  }

  @Override
  public boolean equals(@org.checkerframework.checker.nullness.qual.Nullable Object o) {
    return o instanceof LogEntry other && term == other.term && Arrays.equals(command, other.command);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(term) * 31 + Arrays.hashCode(command);
  }

  @Override
  public String toString() {
    return "LogEntry[term=" + term + ", " + command.length + " bytes]";
  }
}
