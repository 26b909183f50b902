package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import static org.raftref.core.Nodes.timeOut;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.TraceAction;

/**
 * The durability contract (thesis §3.8; Figure 2, "updated on stable storage before responding to RPCs"):
 * a message leaves only in a Ready that also carries the state it depends on, and the node takes no input
 * between handing out a Ready and learning it is durable. Also restart from what was made durable.
 */
class DurabilityTest {

  private final RecordingSink sink = new RecordingSink();

  /** A granted vote leaves in the same Ready as the vote itself. Reference: Figure 2; thesis §3.8. */
  @Test
  void aGrantedVoteLeavesTogetherWithTheVote() {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), sink);
    node.step(new RequestVoteRequest(2, 1, 1, 0, 0));
    Ready ready = node.ready();
    assertEquals(new HardState(1, 2), ready.hardState());
    assertEquals(List.of(new RequestVoteResponse(1, 2, 1, true)), ready.messages());
  }

  /** RequestVote leaves in the same Ready as the candidate's new term and its own vote. Reference: §5.2. */
  @Test
  void voteRequestsLeaveTogetherWithTheNewTermAndTheSelfVote() {
    RaftNode node = restored(config(1, THREE), 4, 2, List.of(), sink);
    timeOut(node);
    Ready ready = node.ready();
    assertEquals(new HardState(5, 1), ready.hardState());
    assertEquals(2, ready.messages().size());
  }

  /**
   * A follower's acknowledgement leaves in the same Ready as the entries it acknowledges, and as the new
   * term it learnt from the request. Reference: Figure 2; thesis §3.8.
   */
  @Test
  void anAcknowledgementLeavesTogetherWithTheEntriesItAcknowledges() {
    RaftNode node = restored(config(1, THREE), 1, 0, log(1), sink);
    node.step(new AppendEntriesRequest(2, 1, 2, 1, 1, List.of(entry(2, "a"), entry(2, "b")), 0));
    Ready ready = node.ready();
    assertEquals(new HardState(2, 0), ready.hardState());
    assertEquals(2, ready.firstEntryIndex());
    assertEquals(List.of(entry(2, "a"), entry(2, "b")), ready.entries());
    assertEquals(new AppendEntriesResponse(1, 2, 2, true, 3, 0, 0),
        messageTo(ready, AppendEntriesResponse.class, 2));
    assertFalse(Ready.mayLeaveBeforePersist(ready.messages().get(0)), "a reply waits for the write it acknowledges");
  }

  /**
   * A leader's AppendEntries may leave before the Ready that holds its new entries is durable (the leader
   * writes in parallel with replicating, thesis §10.2.1), and every other message may not. (That the leader
   * counts its own copy toward a commit only once the write is done is
   * {@code CommitTest#leaderCountsItselfOnlyForEntriesItHasMadeDurable}.) Reference: thesis §10.2.1, §3.8;
   * spec {@code AppendEntriesBatch} (straight into the network).
   */
  @Test
  void onlyALeadersAppendEntriesMayLeaveBeforeItsWrite() {
    RaftNode node = elect(restored(config(1, List.of(1, 2, 3, 4, 5)), 1, 0, log(1), sink));
    node.propose(bytes("x")); // index 3
    Ready ready = node.ready();
    assertEquals(List.of(entry(2, "x")), ready.entries());
    assertEquals(4, ready.messages().size());
    for (var m : ready.messages()) {
      assertTrue(Ready.mayLeaveBeforePersist(m), m + " may leave before the write");
    }
    assertFalse(Ready.mayLeaveBeforePersist(new RequestVoteRequest(1, 2, 2, 1, 1)));
    assertFalse(Ready.mayLeaveBeforePersist(new RequestVoteResponse(1, 2, 2, true)));
  }

  /**
   * Between {@code ready()} and {@code advance(ready)} the node takes no input: tick, step, propose and
   * a second ready() fail with a message that says what to do, and change nothing. advance() takes only
   * the Ready last handed out, and only once. Reference: {@link Ready}; thesis §3.8.
   */
  @Test
  void noInputIsAcceptedBetweenReadyAndAdvance() {
    RaftNode node = elect(restored(config(1, THREE), 0, 0, List.of(), sink));
    node.propose(bytes("x"));
    Ready ready = node.ready();
    long lastIndex = node.lastLogIndex();
    sink.drain();

    List<Executable> inputs = List.of(
        node::tick,
        () -> node.step(new AppendEntriesResponse(2, 1, 1, true, 1, 0, 0)),
        () -> node.propose(bytes("y")),
        node::ready);
    for (Executable input : inputs) {
      IllegalStateException e = assertThrows(IllegalStateException.class, input);
      assertTrue(e.getMessage().contains("advance(ready)"), e.getMessage());
    }
    assertEquals(lastIndex, node.lastLogIndex());
    assertEquals(0, node.matchIndex(2));
    assertEquals(List.of(), sink.drainActions());

    Ready copy = new Ready(ready.hardState(), ready.firstEntryIndex(), ready.entries(), ready.messages(),
        ready.firstCommittedIndex(), ready.committedEntries());
    assertThrows(IllegalStateException.class, () -> node.advance(copy), "an equal Ready is not the Ready");
    node.advance(ready);
    assertThrows(IllegalStateException.class, () -> node.advance(ready), "advanced twice");
    node.tick(); // inputs are taken again
  }

  /**
   * {@code Persist} is emitted exactly when the Ready had something to persist or to release from the
   * outbox: not for an empty Ready, not for one that only hands out committed entries, not for one that only
   * carries a leader's AppendEntries (in the network since their own step). Reference: docs/steps.md
   * {@code Persist(i)}.
   */
  @Test
  void persistIsEmittedOnlyForAReadyThatPersistsOrSends() {
    RaftNode node = restored(config(1, List.of(1)), 0, 0, List.of(), sink);
    assertFalse(node.hasReady());
    Ready empty = persist(node);
    assertEquals(new Ready(null, 1, List.of(), List.of(), 1, List.of()), empty);
    assertEquals(List.of(), sink.drainActions());

    timeOut(node); // a cluster of one: Timeout, BecomeLeader
    sink.drain();
    Ready withState = persist(node);
    assertTrue(withState.mustPersist());
    assertEquals(List.of(TraceAction.Persist, TraceAction.AdvanceCommitIndex), sink.drainActions());

    assertTrue(node.hasReady(), "the no-op is committed and not yet applied");
    Ready applyOnly = persist(node);
    assertNull(applyOnly.hardState());
    assertEquals(List.of(), applyOnly.entries());
    assertEquals(List.of(), applyOnly.messages());
    assertEquals(1, applyOnly.committedEntries().size());
    assertEquals(List.of(), sink.drainActions(), "nothing persisted or sent: no Persist step");
    assertFalse(node.hasReady());

    // A leader's heartbeats were in the network at their AppendEntries step: releasing them is no Persist.
    RaftNode leader = elect(restored(config(1, THREE), 1, 0, log(1), sink));
    sink.drain();
    for (int k = 0; k < leader.config().heartbeatTicks(); k++) {
      leader.tick();
    }
    assertEquals(List.of(TraceAction.AppendEntries, TraceAction.AppendEntries), sink.drainActions());
    Ready heartbeats = persist(leader);
    assertFalse(heartbeats.mustPersist());
    assertEquals(2, heartbeats.messages().size());
    assertEquals(List.of(), sink.drainActions(), "heartbeats only: no Persist step");
  }

  /**
   * A restarted node has exactly its durable state: term, vote and log; it is a follower with nothing
   * committed or applied, and nothing to persist. Because its vote survived, it will not vote for another
   * candidate in that term. Reference: Figure 2 (persistent vs volatile state); §5.2; thesis §3.8.
   */
  @Test
  void aRestartedNodeHasExactlyItsDurableState() {
    Cluster cluster = new Cluster(3, 7);
    int leader = cluster.electLeader();
    for (int i = 0; i < 5; i++) {
      cluster.propose(leader, bytes("c" + i));
    }
    cluster.settle();
    int follower = leader == 1 ? 2 : 1;
    RaftNode before = cluster.node(follower);
    HardState hard = before.hardState();
    assertEquals(leader, hard.votedFor(), "the follower voted for the leader");

    cluster.restart(follower);

    RaftNode after = cluster.node(follower);
    assertEquals(hard, after.hardState());
    assertEquals(logOf(before), logOf(after));
    assertEquals(Role.Follower, after.role());
    assertEquals(0, after.commitIndex());
    assertEquals(0, after.appliedIndex());
    assertEquals(after.lastLogIndex(), after.stableIndex());
    assertFalse(after.hasReady());

    int other = 6 - leader - follower;
    after.step(new RequestVoteRequest(other, follower, hard.currentTerm(), after.logTerm(after.lastLogIndex()),
        after.lastLogIndex()));
    boolean granted = messageTo(after.ready(), RequestVoteResponse.class, other).voteGranted();
    assertFalse(granted, "a vote cast before the crash binds after it");
  }

  /**
   * A node that crashes after granting a vote but before persisting it restarts without the vote, and its
   * reply never left, so the candidate never counted it. Reference: thesis §3.8.
   */
  @Test
  void aVoteNotYetDurableIsLostWithItsReply() {
    Cluster cluster = new Cluster(3, 3);
    RaftNode node = RaftNode.start(config(1, THREE), new SplittableRandom(3), sink);
    node.step(new RequestVoteRequest(2, 1, 1, 0, 0));
    Ready ready = node.ready();
    assertEquals(List.of(new RequestVoteResponse(1, 2, 1, true)), ready.messages());
    // The driver crashes here, before step 1 of the Ready: the disk still holds the initial state.
    RaftNode restarted = RaftNode.restart(node.config(), DurableState.EMPTY, new SplittableRandom(3), sink);
    assertEquals(HardState.INITIAL, restarted.hardState());

    // The same through the Cluster driver: its checks see no reply leave.
    cluster.inject(new RequestVoteRequest(2, 1, 1, 0, 0));
    cluster.deliver(0, false);
    assertEquals(HardState.INITIAL, cluster.node(1).hardState());
    assertEquals(0, cluster.inFlight(), "the reply never reached the network");
  }

  /**
   * Restart refuses a durable state that no run can produce, naming the field.
   * Reference: Figure 2 (votedFor is a server of the cluster; log terms never decrease).
   */
  @Test
  void restartRefusesAnImpossibleDurableState() {
    IllegalArgumentException vote = assertThrows(IllegalArgumentException.class,
        () -> restored(config(1, THREE), 2, 9, List.of(), sink));
    assertEquals("durable votedFor 9 is not one of members [1, 2, 3]", vote.getMessage());
    IllegalArgumentException terms = assertThrows(IllegalArgumentException.class,
        () -> new DurableState(new HardState(3, 0), log(2, 1)));
    assertTrue(terms.getMessage().startsWith("durable log entry 2 has term 1"), terms.getMessage());
    IllegalArgumentException future = assertThrows(IllegalArgumentException.class,
        () -> new DurableState(new HardState(1, 0), log(1, 2)));
    assertTrue(future.getMessage().contains("at most currentTerm 1"), future.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> new HardState(-1, 0));
    assertEquals("currentTerm must not be negative, was -1", negative.getMessage());
  }
}
