package org.raftref.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.HardState;
import org.raftref.core.RaftNode;
import org.raftref.core.Ready;
import org.raftref.core.Role;
import org.raftref.message.LogEntry;

/**
 * The safety properties of Figure 3 of the paper, and a few more, checked on a simulated cluster after
 * every step. Each check is incremental: after a step of node i it looks only at what changed in i.
 *
 * <ul>
 *   <li>{@code ElectionSafety}: at most one leader per term, over the whole history.</li>
 *   <li>{@code LeaderAppendOnly}: a leader never overwrites or deletes entries of its log.</li>
 *   <li>{@code LogMatching}: two entries with the same index and term hold the same command and follow
 *       entries of the same term (by induction: the logs are identical up to there).</li>
 *   <li>{@code LeaderCompleteness}: a new leader's log holds every entry committed before it.</li>
 *   <li>{@code StateMachineSafety}: no two nodes commit or apply different entries at one index.</li>
 *   <li>{@code ApplyInOrderExactlyOnce}, {@code CommitIndexInLog} (commitIndex ≤ last index) and
 *       {@code DurableTermMonotonic} (the persisted term never decreases).</li>
 * </ul>
 */
final class InvariantChecker {

  private record IndexTerm(long index, long term) {}

  private record EntryFact(LogEntry entry, long previousTerm, int node) {}

  /** What the checker remembers of one node between its steps. */
  private static final class Shadow {
    final ArrayList<LogEntry> log = new ArrayList<>();
    Role role = Role.Follower;
    long term;
    long commitIndex;
    long nextApply = 1;
    HardState durable = HardState.INITIAL;
  }

  private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
  private final Map<IndexTerm, EntryFact> entries = new HashMap<>();
  /** committed.get(k - 1) is the entry committed at index k, as the first node to commit it saw it. */
  private final ArrayList<LogEntry> committed = new ArrayList<>();
  /** applied.get(k - 1) is the command first applied at index k. */
  private final ArrayList<byte[]> applied = new ArrayList<>();
  private final Shadow[] shadows;

  InvariantChecker(int size) {
    shadows = new Shadow[size + 1];
    for (int i = 0; i <= size; i++) {
      shadows[i] = new Shadow();
    }
  }

  /** Node {@code node} is about to persist {@code ready}: check it against what it persisted before. */
  void beforePersist(int node, Ready ready) {
    Shadow s = shadows[node];
    HardState next = ready.hardState();
    if (next != null) {
      if (next.currentTerm() < s.durable.currentTerm()) {
        throw new InvariantViolation("DurableTermMonotonic", "node " + node + " persists term "
            + next.currentTerm() + " after term " + s.durable.currentTerm());
      }
      s.durable = next;
    }
    if (!ready.committedEntries().isEmpty() && ready.firstCommittedIndex() != s.nextApply) {
      throw new InvariantViolation("ApplyInOrderExactlyOnce", "node " + node + " is given entries from index "
          + ready.firstCommittedIndex() + " to apply, but has applied up to " + (s.nextApply - 1));
    }
    long index = ready.firstCommittedIndex();
    for (LogEntry entry : ready.committedEntries()) {
      if (index <= applied.size()) {
        if (!Arrays.equals(applied.get((int) index - 1), entry.command())) {
          throw new InvariantViolation("StateMachineSafety", "node " + node + " applies a command at index "
              + index + " that differs from the one applied there before");
        }
      } else {
        applied.add(entry.command());
      }
      index++;
    }
    s.nextApply = index;
  }

  /** Checks node {@code node} after one of its steps. */
  void afterStep(RaftNode n) {
    int id = n.id();
    Shadow s = shadows[id];
    boolean wasLeaderOfTerm = s.role == Role.Leader && s.term == n.currentTerm();

    long unchanged = Math.min(s.log.size(), n.lastLogIndex());
    while (unchanged >= 1 && n.logEntry(unchanged) != s.log.get((int) unchanged - 1)) {
      unchanged--;
    }
    if (wasLeaderOfTerm && n.role() == Role.Leader && unchanged < s.log.size()) {
      throw new InvariantViolation("LeaderAppendOnly", "leader " + id + " of term " + n.currentTerm()
          + " changed its log at index " + (unchanged + 1) + " (it had " + s.log.size() + " entries)");
    }
    s.log.subList((int) unchanged, s.log.size()).clear();
    for (long k = unchanged + 1; k <= n.lastLogIndex(); k++) {
      LogEntry entry = n.logEntry(k);
      checkLogMatching(id, k, entry, n.logTerm(k - 1));
      s.log.add(entry);
    }

    if (n.commitIndex() > n.lastLogIndex()) {
      throw new InvariantViolation("CommitIndexInLog", "node " + id + " has commitIndex " + n.commitIndex()
          + " beyond its last index " + n.lastLogIndex());
    }
    for (long k = s.commitIndex + 1; k <= n.commitIndex(); k++) {
      LogEntry entry = n.logEntry(k);
      if (k <= committed.size()) {
        if (!committed.get((int) k - 1).equals(entry)) {
          throw new InvariantViolation("StateMachineSafety", "node " + id + " commits " + entry + " at index "
              + k + " where " + committed.get((int) k - 1) + " was committed before");
        }
      } else {
        committed.add(entry);
      }
    }
    s.commitIndex = Math.max(s.commitIndex, n.commitIndex());

    if (n.role() == Role.Leader) {
      Integer other = leaderOfTerm.putIfAbsent(n.currentTerm(), id);
      if (other != null && other != id) {
        throw new InvariantViolation("ElectionSafety", "nodes " + other + " and " + id + " both lead term "
            + n.currentTerm());
      }
      if (!wasLeaderOfTerm) {
        checkLeaderCompleteness(n);
      }
    }
    s.role = n.role();
    s.term = n.currentTerm();
  }

  /** Node {@code node} restarted from its disk: its volatile view starts over. */
  void restarted(RaftNode n) {
    Shadow s = shadows[n.id()];
    s.role = Role.Follower;
    s.term = n.currentTerm();
    s.commitIndex = 0;
    s.nextApply = 1;
    afterStep(n);
  }

  private void checkLogMatching(int node, long index, LogEntry entry, long previousTerm) {
    IndexTerm key = new IndexTerm(index, entry.term());
    @Nullable EntryFact known = entries.get(key);
    if (known == null) {
      entries.put(key, new EntryFact(entry, previousTerm, node));
    } else if (!known.entry().equals(entry) || known.previousTerm() != previousTerm) {
      throw new InvariantViolation("LogMatching", "node " + node + " has " + entry + " after term "
          + previousTerm + " at index " + index + ", node " + known.node() + " had " + known.entry()
          + " after term " + known.previousTerm());
    }
  }

  private void checkLeaderCompleteness(RaftNode leader) {
    for (int k = 1; k <= committed.size(); k++) {
      if (k > leader.lastLogIndex() || !leader.logEntry(k).equals(committed.get(k - 1))) {
        throw new InvariantViolation("LeaderCompleteness", "leader " + leader.id() + " of term "
            + leader.currentTerm() + " lacks the entry committed at index " + k);
      }
    }
  }

  /** The entries committed so far, index 1 first. */
  List<LogEntry> committed() {
    return committed;
  }
}
