package org.raftref.core;

import java.util.ArrayList;
import java.util.List;
import org.raftref.message.LogEntry;

/** Everything observable about a node, to check that something changed nothing. */
record Snapshot(HardState hardState, Role role, int leaderId, long commitIndex, long appliedIndex,
    long stableIndex, List<LogEntry> log, List<Long> nextIndex, List<Long> matchIndex, List<Boolean> votes,
    boolean hasReady) {

  static Snapshot of(RaftNode node) {
    List<Long> next = new ArrayList<>();
    List<Long> match = new ArrayList<>();
    List<Boolean> votes = new ArrayList<>();
    for (int member : node.members()) {
      next.add(node.nextIndex(member));
      match.add(node.matchIndex(member));
      votes.add(node.voteGranted(member));
    }
    return new Snapshot(node.hardState(), node.role(), node.leaderId(), node.commitIndex(), node.appliedIndex(),
        node.stableIndex(), Nodes.logOf(node), next, match, votes, node.hasReady());
  }
}
