package org.raftref.trace;

import java.util.List;
import org.raftref.message.LogEntry;

/**
 * A node state given outright, for sink tests that need a state the core would never reach (such as a log
 * whose terms go down). Follower, term 3, no vote, commit index 0; the log's entries have the given terms and
 * empty commands.
 */
record FakeNodeState(int id, List<Integer> memberList, List<Long> terms) implements NodeStateView {

  @Override
  public int[] members() {
    return memberList.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public long currentTerm() {
    return 3;
  }

  @Override
  public int votedFor() {
    return 0;
  }

  @Override
  public String roleName() {
    return "Follower";
  }

  @Override
  public long commitIndex() {
    return 0;
  }

  @Override
  public long lastLogIndex() {
    return terms.size();
  }

  @Override
  public long logTerm(long index) {
    return index == 0 ? 0 : terms.get((int) index - 1);
  }

  @Override
  public LogEntry logEntry(long index) {
    return LogEntry.noop(logTerm(index));
  }

  @Override
  public long nextIndex(int peer) {
    return 0;
  }

  @Override
  public long matchIndex(int peer) {
    return 0;
  }

  @Override
  public boolean voteGranted(int peer) {
    return false;
  }
}
