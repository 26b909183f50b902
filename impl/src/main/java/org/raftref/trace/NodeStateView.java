package org.raftref.trace;

import org.raftref.message.LogEntry;

/**
 * A read-only view of one node's protocol state, as a trace sink records it after each step. Names follow
 * the spec's variables. Index arguments are 1-based log indexes.
 */
public interface NodeStateView {

  /** This node's id. */
  int id();

  /** The ids of all members, this node included, in ascending order. */
  int[] members();

  long currentTerm();

  /** The node voted for in {@link #currentTerm()}, or 0 for none. */
  int votedFor();

  /** {@code "Follower"}, {@code "Candidate"} or {@code "Leader"}. */
  String roleName();

  long commitIndex();

  long lastLogIndex();

  /** The term of the entry at {@code index}; 0 for index 0. */
  long logTerm(long index);

  /** The entry at {@code index}, 1 ≤ index ≤ {@link #lastLogIndex()}. */
  LogEntry logEntry(long index);

  /**
   * The log's terms as runs {@code {term, lastIndex}} in index order: consecutive entries of one term form
   * one run, and every entry is in exactly one run, whatever the terms are (a broken core is recorded as it
   * is). This default reads every entry; a node that keeps its runs as it goes overrides it, so that a trace
   * event costs O(runs) rather than O(log length) (RaftNode does).
   */
  default java.util.List<long[]> logRuns() {
    java.util.List<long[]> runs = new java.util.ArrayList<>();
    for (long index = 1; index <= lastLogIndex(); index++) {
      long term = logTerm(index);
      long @org.checkerframework.checker.nullness.qual.Nullable [] last =
          runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last[0] == term) {
        last[1] = index;
      } else {
        runs.add(new long[] {term, index});
      }
    }
    return runs;
  }

  /** The number of runs in {@link #logRuns()}. This default copies them; RaftNode reads them in place. */
  default int logRunCount() {
    return logRuns().size();
  }

  /** The term of run {@code k} of {@link #logRuns()}. */
  default long logRunTerm(int k) {
    return logRuns().get(k)[0];
  }

  /** The last index of run {@code k} of {@link #logRuns()}. */
  default long logRunLastIndex(int k) {
    return logRuns().get(k)[1];
  }

  /** Leader only (otherwise 0): the next index to send to {@code peer}. */
  long nextIndex(int peer);

  /** Leader only (otherwise 0): the highest index known replicated on {@code peer}. */
  long matchIndex(int peer);

  /** Candidate only: whether {@code peer} (or this node itself) granted its vote in this term. */
  boolean voteGranted(int peer);
}
