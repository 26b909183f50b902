package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.raftref.core.Nodes.FIVE;
import static org.raftref.core.Nodes.THREE;
import static org.raftref.core.Nodes.bytes;
import static org.raftref.core.Nodes.config;
import static org.raftref.core.Nodes.elect;
import static org.raftref.core.Nodes.entry;
import static org.raftref.core.Nodes.log;
import static org.raftref.core.Nodes.logOf;
import static org.raftref.core.Nodes.messageTo;
import static org.raftref.core.Nodes.persist;
import static org.raftref.core.Nodes.restored;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.trace.TraceAction;

/** Commitment: §5.3, §5.4.2 (Figure 8), thesis §6.4 and §10.2.1, Figure 2 (AppendEntries receiver 5). */
class CommitTest {

  private final RecordingSink sink = new RecordingSink();

  private RaftNode leader(List<Integer> members, long term, List<LogEntry> log) {
    RaftNode node = elect(restored(config(1, members), term, 0, log, sink));
    sink.drain();
    return node;
  }

  /**
   * A leader commits an entry of its term once a majority of the cluster stores it, counting followers by
   * matchIndex and itself; the next Ready hands the entry out to apply, and the next AppendEntries tells
   * the followers. Reference: §5.3; Figure 2, Rules for Leaders (the N such that a majority of matchIndex ≥
   * N and log[N].term = currentTerm); docs/steps.md {@code AdvanceCommitIndex(i)}.
   */
  @Test
  void leaderCommitsAnEntryOfItsTermOnceAMajorityStoresIt() {
    RaftNode node = leader(FIVE, 0, List.of()); // log [no-op of term 1], durable
    node.step(new AppendEntriesResponse(2, 1, 1, true, 1, 0, 0));
    assertEquals(0, node.commitIndex(), "2 of 5");
    sink.drain();

    node.step(new AppendEntriesResponse(3, 1, 1, true, 1, 0, 0));

    assertEquals(1, node.commitIndex(), "3 of 5");
    assertEquals(List.of(TraceAction.HandleAppendEntriesResponse, TraceAction.AdvanceCommitIndex),
        sink.drainActions());
    Ready ready = persist(node);
    assertEquals(1, ready.firstCommittedIndex());
    assertEquals(List.of(node.logEntry(1)), ready.committedEntries());
    node.tick();
    assertEquals(1, messageTo(persist(node), AppendEntriesRequest.class, 4).leaderCommit());
  }

  /**
   * A leader counts itself towards a majority only for entries it has made durable: a follower's
   * acknowledgement of an entry the leader has not yet persisted does not commit it; the advance that
   * makes it durable does. Reference: thesis §10.2.1; docs/steps.md ({@code AdvanceCommitIndex}: "itself by
   * Len(durableLog)", and {@code Persist}).
   */
  @Test
  void leaderCountsItselfOnlyForEntriesItHasMadeDurable() {
    RaftNode node = leader(THREE, 0, List.of());
    assertEquals(new ProposeResult.Accepted(2, 1), node.propose(bytes("x"))); // not yet durable
    node.step(new AppendEntriesResponse(2, 1, 1, true, 2, 0, 0));
    assertEquals(1, node.commitIndex(), "the no-op is durable on both, x only on the follower");
    sink.drain();

    Ready ready = node.ready();
    assertEquals(List.of(entry(1, "x")), ready.entries());
    node.advance(ready);

    assertEquals(List.of(TraceAction.Persist, TraceAction.AdvanceCommitIndex), sink.drainActions());
    assertEquals(2, node.commitIndex());
  }

  /**
   * Followers alone can form the majority: the leader's own write need not come first.
   * Reference: thesis §10.2.1 (the leader may write to its disk in parallel with replicating).
   */
  @Test
  void followersAloneCanCommitAnEntryTheLeaderHasNotYetMadeDurable() {
    RaftNode node = leader(THREE, 0, List.of());
    node.propose(bytes("x"));
    node.step(new AppendEntriesResponse(2, 1, 1, true, 2, 0, 0));
    node.step(new AppendEntriesResponse(3, 1, 1, true, 2, 0, 0));
    assertEquals(2, node.commitIndex());
    assertEquals(1, node.stableIndex());
    Ready ready = node.ready();
    assertEquals(List.of(entry(1, "x")), ready.entries(), "persisted before it is applied (Ready's order)");
    assertEquals(2, ready.committedEntries().size());
  }

  /**
   * A leader never commits an entry of an earlier term by counting replicas, even one stored on every
   * server (Figure 8: such an entry can still be overwritten); it commits it only indirectly, by committing
   * an entry of its own term after it - here its no-op.
   * Reference: §5.4.2, Figure 8; thesis §6.4.
   */
  @Test
  void leaderNeverCommitsAnEntryOfAnEarlierTermByCountingReplicas() {
    RaftNode node = leader(THREE, 3, log(1, 2)); // term 4, log [1, 2, 4]
    node.step(new AppendEntriesResponse(2, 1, 4, true, 2, 0, 0));
    node.step(new AppendEntriesResponse(3, 1, 4, true, 2, 0, 0));
    assertEquals(0, node.commitIndex(), "entry 2 is on all three servers, but of term 2");
    assertFalse(sink.drainActions().contains(TraceAction.AdvanceCommitIndex));
    persist(node);

    node.step(new AppendEntriesResponse(2, 1, 4, true, 3, 0, 0));

    assertEquals(3, node.commitIndex());
    Ready ready = persist(node);
    assertEquals(1, ready.firstCommittedIndex());
    assertEquals(logOf(node), ready.committedEntries());
  }

  /**
   * A follower sets its commit index to min(leaderCommit, index of the last new entry): it never commits
   * past what this request proved it shares with the leader, and its commit index never decreases.
   * The follower's log is [1, 1, 1]. Reference: Figure 2, AppendEntries receiver 5; §5.3.
   */
  @ParameterizedTest(name = "prevLogIndex {0}, {1} entries, leaderCommit {2}: commitIndex {3}")
  @CsvSource({
      "3, 0, 2, 2",
      "3, 1, 10, 4",
      "1, 0, 3, 1", // entries 2 and 3 are not vouched for by this request
      "0, 1, 3, 1",
      "2, 2, 4, 4",
      "3, 0, 0, 0",
  })
  void followerCommitsUpToTheLeadersCommitWithinWhatTheRequestProved(long prevLogIndex, int count,
      long leaderCommit, long commitIndex) {
    List<LogEntry> old = log(1, 1, 1);
    RaftNode node = restored(config(1, THREE), 1, 0, old, sink);
    List<LogEntry> entries = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      long index = prevLogIndex + k;
      entries.add(index <= old.size() ? old.get((int) index - 1) : entry(1, "new" + index));
    }

    node.step(new AppendEntriesRequest(2, 1, 1, prevLogIndex, prevLogIndex == 0 ? 0 : 1, entries, leaderCommit));

    assertEquals(commitIndex, node.commitIndex());
    Ready ready = persist(node);
    assertEquals(logOf(node).subList(0, (int) commitIndex), ready.committedEntries());
    assertEquals(commitIndex, node.appliedIndex());

    node.step(new AppendEntriesRequest(2, 1, 1, 0, 0, List.of(), 0));
    assertEquals(commitIndex, node.commitIndex(), "a commit index never decreases");
  }

  /**
   * Every node hands each committed entry out exactly once and in index order (the Cluster driver checks
   * every Ready), through a leader change that discards the old leader's uncommitted entries and a
   * follower's restart (which rebuilds its state machine from entry 1). All nodes apply the same commands.
   * Reference: Figure 2, Rules for All Servers ("If commitIndex > lastApplied: increment lastApplied, apply
   * log[lastApplied]"); §5.4.3 (State Machine Safety).
   */
  @Test
  void committedEntriesAreHandedOutInOrderExactlyOnce() {
    for (long seed = 1; seed <= 5; seed++) {
      Cluster cluster = new Cluster(3, seed);
      int first = cluster.electLeader();
      for (int i = 0; i < 10; i++) {
        cluster.propose(first, bytes("a" + i));
        cluster.settle();
      }
      cluster.isolate(first);
      for (int i = 0; i < 3; i++) {
        cluster.propose(first, bytes("lost" + i)); // never reaches a majority
      }
      int second = cluster.electLeader();
      for (int i = 0; i < 10; i++) {
        cluster.propose(second, bytes("b" + i));
        cluster.settle();
      }
      cluster.heal();
      cluster.rounds(5);
      int follower = cluster.ids().stream().filter(id -> id != second).findFirst().orElseThrow();
      cluster.restart(follower);
      cluster.rounds(5);

      List<String> expected = new ArrayList<>();
      for (String prefix : List.of("a", "b")) {
        for (int i = 0; i < 10; i++) {
          expected.add(prefix + i);
        }
      }
      for (int id : cluster.ids()) {
        RaftNode node = cluster.node(id);
        assertEquals(node.lastLogIndex(), node.commitIndex(), "seed " + seed + ", node " + id);
        assertEquals(logOf(node), cluster.applied(id), "seed " + seed + ", node " + id);
        assertEquals(expected, commands(cluster.applied(id)), "seed " + seed + ", node " + id);
      }
    }
  }

  /** The client commands among {@code entries}, leaving out no-ops. */
  private static List<String> commands(List<LogEntry> entries) {
    return entries.stream().filter(e -> e.command().length > 0)
        .map(e -> new String(e.command(), StandardCharsets.UTF_8)).toList();
  }
}
