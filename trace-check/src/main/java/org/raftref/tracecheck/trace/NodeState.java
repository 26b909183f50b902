package org.raftref.tracecheck.trace;

import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A node's state after a step, as the event's {@code state} records it (docs/trace-format.md, "Post-state").
 *
 * @param votedFor 0 for no vote (the spec's {@code Nil})
 * @param log the log's terms as runs, in log order
 * @param nextIndex per peer, ascending; empty unless {@code role} is Leader
 * @param matchIndex per peer, ascending; empty unless {@code role} is Leader
 * @param votes the nodes that granted a vote, ascending; empty unless {@code role} is Candidate
 */
public record NodeState(int currentTerm, int votedFor, String role, int commitIndex, List<LogRun> log,
    SortedMap<Integer, Integer> nextIndex, SortedMap<Integer, Integer> matchIndex, SortedSet<Integer> votes) {

  public NodeState {
    log = List.copyOf(log);
  }

  /** The number of entries in the log. */
  public int logLength() {
    return log.isEmpty() ? 0 : log.get(log.size() - 1).lastIndex();
  }
}
