package org.raftref.message;

import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * AppendEntries RPC (Figure 2): the leader of {@code term} sends the entries that follow
 * {@code prevLogIndex}, whose entry has term {@code prevLogTerm}, and its commit index. With no entries it is
 * the heartbeat.
 */
public record AppendEntriesRequest(
    int from, int to, long term, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit)
    implements Message {

  public AppendEntriesRequest {
    entries = List.copyOf(entries);
  }

  /** Index of the last entry this request carries (or {@code prevLogIndex} when it carries none). */
  public long lastNewIndex() {
    return prevLogIndex + entries.size();
  }

  @Override
  public @Nullable String malformation() {
    String base = Message.super.malformation();
    if (base != null) {
      return base;
    }
    if (prevLogIndex < 0 || prevLogTerm < 0 || leaderCommit < 0) {
      return "prevLogIndex, prevLogTerm and leaderCommit must not be negative, were "
          + prevLogIndex + ", " + prevLogTerm + ", " + leaderCommit;
    }
    if ((prevLogIndex == 0) != (prevLogTerm == 0)) {
      return "prevLogIndex " + prevLogIndex + " and prevLogTerm " + prevLogTerm + " must both be 0 or both positive";
    }
    if (prevLogTerm > term) {
      return "prevLogTerm " + prevLogTerm + " is above the leader's term " + term;
    }
    long previous = prevLogTerm;
    for (LogEntry entry : entries) {
      if (entry.term() < Math.max(previous, 1) || entry.term() > term) {
        return "entry terms must be positive, non-decreasing and at most the leader's term " + term;
      }
      previous = entry.term();
    }
    return null;
  }
}
