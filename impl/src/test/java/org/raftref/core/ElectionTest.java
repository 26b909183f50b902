package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.raftref.core.Nodes.FIVE;
import static org.raftref.core.Nodes.T;
import static org.raftref.core.Nodes.THREE;
import static org.raftref.core.Nodes.config;
import static org.raftref.core.Nodes.elect;
import static org.raftref.core.Nodes.log;
import static org.raftref.core.Nodes.messageTo;
import static org.raftref.core.Nodes.messages;
import static org.raftref.core.Nodes.persist;
import static org.raftref.core.Nodes.restored;
import static org.raftref.core.Nodes.timeOut;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.TraceAction;

/** Leader election: §5.1, §5.2, §5.4.1 and Figure 2 (RequestVote RPC, Rules for Servers). */
class ElectionTest {

  private final RecordingSink sink = new RecordingSink();

  /**
   * A follower that hears nothing for its election timeout becomes a candidate: it increments its term,
   * votes for itself and sends RequestVote, carrying its last log term and index, to every other server.
   * Reference: §5.2; Figure 2, Rules for Followers and Candidates; docs/steps.md {@code Timeout(i)}.
   */
  @Test
  void followerStartsAnElectionWhenItsTimeoutElapses() {
    RaftNode node = restored(config(1, THREE), 2, 0, log(1, 1, 2), new ScriptedRandom(3), sink);
    for (int tick = 1; tick < T + 3; tick++) {
      node.tick();
    }
    assertEquals(Role.Follower, node.role(), "still inside its timeout of T + 3 ticks");
    assertEquals(List.of(), sink.drainActions());

    node.tick();

    assertEquals(List.of(TraceAction.Timeout), sink.drainActions());
    assertEquals(Role.Candidate, node.role());
    assertEquals(3, node.currentTerm());
    assertEquals(1, node.votedFor());
    assertTrue(node.voteGranted(1), "a candidate counts its own vote");
    Ready ready = node.ready();
    assertEquals(new HardState(3, 1), ready.hardState());
    assertEquals(List.of(new RequestVoteRequest(1, 2, 3, 2, 3), new RequestVoteRequest(1, 3, 3, 2, 3)),
        ready.messages());
  }

  /**
   * The election timeout is drawn from the injected generator, uniformly from [T, 2T): the node draws with
   * bound T and times out after exactly T + draw ticks, at both ends of the range.
   * Reference: §5.2 ("randomized election timeouts ... chosen randomly from a fixed interval").
   */
  @ParameterizedTest
  @CsvSource({"0", "1", "9"})
  void electionTimeoutIsTPlusTheInjectedDraw(int draw) {
    ScriptedRandom random = new ScriptedRandom(draw);
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), random, sink);
    assertEquals(List.of(T), random.bounds, "one draw with bound T at start");
    int ticks = 0;
    while (node.role() == Role.Follower) {
      node.tick();
      ticks++;
    }
    assertEquals(T + draw, ticks);
    assertEquals(List.of(T, T), random.bounds, "a new draw when the election starts");
  }

  /**
   * With a seeded generator the timeouts are reproducible and spread over [T, 2T): the same seed gives the
   * same timeout, and 50 seeds give timeouts that all lie in the range and are not all equal.
   * Reference: §5.2.
   */
  @Test
  void seededTimeoutsAreReproducibleAndSpreadOverTheRange() {
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      int first = ticksUntilElection(new SplittableRandom(seed));
      assertEquals(first, ticksUntilElection(new SplittableRandom(seed)), "seed " + seed);
      assertTrue(first >= T && first < 2 * T, "timeout " + first + " outside [T, 2T), seed " + seed);
      seen.add(first);
    }
    assertTrue(seen.size() >= 5, "50 seeds gave only the timeouts " + seen);
  }

  private int ticksUntilElection(SplittableRandom random) {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), random, sink);
    int ticks = 0;
    while (node.role() == Role.Follower) {
      node.tick();
      ticks++;
    }
    return ticks;
  }

  /**
   * A candidate that neither wins nor loses before its timeout starts a new election in the next term.
   * Reference: §5.2 ("each candidate will time out and start a new election by incrementing its term").
   */
  @Test
  void candidateStartsANewElectionWhenItsTimeoutElapses() {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), sink);
    timeOut(node);
    persist(node);
    timeOut(node);
    assertEquals(Role.Candidate, node.role());
    assertEquals(2, node.currentTerm());
    assertEquals(1, node.votedFor());
    assertFalse(node.voteGranted(2));
    assertEquals(List.of(new RequestVoteRequest(1, 2, 2, 0, 0), new RequestVoteRequest(1, 3, 2, 0, 0)),
        node.ready().messages());
  }

  /** A leader never starts an election of its own. Reference: Figure 2, Rules for Servers. */
  @Test
  void leaderNeverTimesOut() {
    RaftNode node = elect(restored(config(1, THREE), 0, 0, List.of(), sink));
    sink.drain();
    for (int tick = 0; tick < 10 * T; tick++) {
      node.tick();
      persist(node);
    }
    assertEquals(Role.Leader, node.role());
    assertEquals(1, node.currentTerm());
    assertFalse(sink.drainActions().contains(TraceAction.Timeout));
  }

  /**
   * A server votes for at most one candidate per term, first come first served; the same candidate asking
   * again gets the vote again (its first reply may have been lost). The vote is part of the hard state.
   * Reference: §5.2; Figure 2, RequestVote receiver 2.
   */
  @Test
  void aServerGrantsOneVotePerTerm() {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), sink);

    node.step(new RequestVoteRequest(2, 1, 1, 0, 0));
    assertEquals(new RequestVoteResponse(1, 2, 1, true), messageTo(persist(node), RequestVoteResponse.class, 2));
    node.step(new RequestVoteRequest(3, 1, 1, 0, 0));
    assertEquals(new RequestVoteResponse(1, 3, 1, false), messageTo(persist(node), RequestVoteResponse.class, 3));
    node.step(new RequestVoteRequest(2, 1, 1, 0, 0));
    assertEquals(new RequestVoteResponse(1, 2, 1, true), messageTo(persist(node), RequestVoteResponse.class, 2));

    assertEquals(new HardState(1, 2), node.hardState());
  }

  /**
   * A RequestVote of an older term is refused, and the reply carries the receiver's term so the candidate
   * can update itself. Reference: §5.1; Figure 2, RequestVote receiver 1.
   */
  @Test
  void voteIsRefusedToACandidateOfAnOlderTerm() {
    RaftNode node = restored(config(1, THREE), 3, 0, List.of(), sink);
    node.step(new RequestVoteRequest(2, 1, 2, 0, 0));
    assertEquals(new RequestVoteResponse(1, 2, 3, false), messageTo(persist(node), RequestVoteResponse.class, 2));
    assertEquals(new HardState(3, 0), node.hardState());
  }

  /**
   * A vote goes only to a candidate whose log is at least as up to date: the later last term wins whatever
   * the lengths; with equal last terms the longer log wins, and equal logs are up to date.
   * The voter's log is [1, 1, 2]. Reference: §5.4.1; Figure 2, RequestVote receiver 2.
   */
  @ParameterizedTest(name = "candidate last term {0}, last index {1}: granted {2}")
  @CsvSource({
      "0, 0, false", // empty log
      "1, 5, false", // longer but older last term
      "2, 2, false", // same last term, shorter
      "2, 3, true", // identical
      "2, 4, true", // same last term, longer
      "3, 1, true", // newer last term, shorter
  })
  void voteRequiresACandidateLogAtLeastAsUpToDate(long lastLogTerm, long lastLogIndex, boolean granted) {
    RaftNode node = restored(config(1, THREE), 2, 0, log(1, 1, 2), sink);
    node.step(new RequestVoteRequest(2, 1, 3, lastLogTerm, lastLogIndex));
    assertEquals(new RequestVoteResponse(1, 2, 3, granted), messageTo(persist(node), RequestVoteResponse.class, 2));
    assertEquals(granted ? 2 : 0, node.votedFor());
  }

  /** How to reach each role in term 3 for node 1 of three, with a log [1, 2] (plus a leader's no-op). */
  private RaftNode nodeIn(Role role) {
    return switch (role) {
      case Follower -> restored(config(1, THREE), 3, 3, log(1, 2), sink); // voted for 3 in term 3
      case Candidate -> {
        RaftNode node = restored(config(1, THREE), 2, 3, log(1, 2), sink);
        timeOut(node);
        persist(node);
        yield node;
      }
      case Leader -> elect(restored(config(1, THREE), 2, 3, log(1, 2), sink));
    };
  }

  /**
   * Any message with a term above the receiver's makes it a follower of that term with no vote cast
   * (the {@code UpdateTerm} step), whatever its role; then the message is handled in the new term.
   * None of these messages earns node 2 the vote: node 2's log is empty.
   * Reference: §5.1; Figure 2, Rules for All Servers; docs/steps.md {@code UpdateTerm(i, j, m)}.
   */
  @ParameterizedTest
  @EnumSource(Role.class)
  void anyMessageOfAHigherTermMakesTheReceiverAFollowerOfThatTerm(Role role) {
    List<Function<Long, Message>> messageTypes = List.of(
        term -> new RequestVoteRequest(2, 1, term, 0, 0),
        term -> new RequestVoteResponse(2, 1, term, true),
        term -> new AppendEntriesRequest(2, 1, term, 0, 0, List.of(), 0),
        term -> new AppendEntriesResponse(2, 1, term, false, 0, 0, 1));
    for (Function<Long, Message> messageType : messageTypes) {
      RaftNode node = nodeIn(role);
      assertEquals(role, node.role());
      assertEquals(3, node.currentTerm());
      sink.drain();
      Message m = messageType.apply(7L);

      node.step(m);

      assertEquals(Role.Follower, node.role(), m.toString());
      assertEquals(new HardState(7, 0), node.hardState(), m.toString());
      List<RecordingSink.Event> events = sink.drain();
      assertEquals(TraceAction.UpdateTerm, events.get(0).action());
      assertSame(m, events.get(0).received());
      assertEquals(2, events.size(), "UpdateTerm, then the handler of " + m.type());
      assertSame(m, events.get(1).received());
      assertEquals(new HardState(7, 0), persist(node).hardState(), "the new term must be made durable");
    }
  }

  /**
   * Because stepping down clears votedFor, the server can vote in the new term, even if it had voted (for
   * itself, as a candidate) in the old one. Reference: §5.1, §5.2; Figure 2, RequestVote receiver 2.
   */
  @Test
  void aCandidateThatStepsDownCanVoteInTheNewTerm() {
    RaftNode node = nodeIn(Role.Candidate);
    node.step(new RequestVoteRequest(2, 1, 4, 2, 2));
    assertEquals(Role.Follower, node.role());
    assertEquals(new HardState(4, 2), node.hardState());
    assertEquals(new RequestVoteResponse(1, 2, 4, true), messageTo(persist(node), RequestVoteResponse.class, 2));
  }

  /**
   * A candidate wins with votes from a majority of the whole cluster in its term: its own and two more of
   * five. A refusal, a repeated vote from the same server, and a vote from an older term do not count.
   * Reference: §5.2 ("votes from a majority of the servers in the full cluster for the same term").
   */
  @Test
  void candidateWinsWithVotesFromAMajorityInItsTerm() {
    RaftNode node = restored(config(1, FIVE), 0, 0, List.of(), sink);
    timeOut(node);
    persist(node);
    timeOut(node); // term 2
    persist(node);

    node.step(new RequestVoteResponse(2, 1, 2, true));
    node.step(new RequestVoteResponse(3, 1, 2, false));
    node.step(new RequestVoteResponse(2, 1, 2, true));
    node.step(new RequestVoteResponse(4, 1, 1, true)); // granted for the election of term 1
    assertEquals(Role.Candidate, node.role());
    assertTrue(node.voteGranted(2));
    assertFalse(node.voteGranted(3));
    assertFalse(node.voteGranted(4));
    sink.drain();

    node.step(new RequestVoteResponse(5, 1, 2, true));

    assertEquals(Role.Leader, node.role());
    assertEquals(2, node.currentTerm());
    assertEquals(List.of(TraceAction.HandleRequestVoteResponse, TraceAction.BecomeLeader,
        TraceAction.AppendEntries, TraceAction.AppendEntries, TraceAction.AppendEntries,
        TraceAction.AppendEntries), sink.drainActions());
  }

  /**
   * A candidate that receives AppendEntries from a leader of its own term recognises it and becomes a
   * follower, keeping its term and its vote. Reference: §5.2; Figure 2, Rules for Candidates.
   */
  @Test
  void candidateYieldsToALeaderOfItsTerm() {
    RaftNode node = nodeIn(Role.Candidate);
    sink.drain();
    node.step(new AppendEntriesRequest(3, 1, 3, 2, 2, List.of(), 0));
    assertEquals(Role.Follower, node.role());
    assertEquals(new HardState(3, 1), node.hardState());
    assertEquals(3, node.leaderId());
    assertEquals(List.of(TraceAction.HandleAppendEntriesRequest), sink.drainActions());
    assertEquals(new AppendEntriesResponse(1, 3, 3, true, 2, 0, 0),
        messageTo(persist(node), AppendEntriesResponse.class, 3));
  }

  /**
   * A candidate refuses AppendEntries of an older term and stays a candidate.
   * Reference: §5.2 ("If the term in the RPC is smaller ... the candidate rejects the RPC and continues in
   * candidate state"); Figure 2, AppendEntries receiver 1.
   */
  @Test
  void candidateRejectsAppendEntriesOfAnOlderTerm() {
    RaftNode node = nodeIn(Role.Candidate);
    node.step(new AppendEntriesRequest(3, 1, 2, 2, 2, List.of(), 0));
    assertEquals(Role.Candidate, node.role());
    assertEquals(new AppendEntriesResponse(1, 3, 3, false, 0, 0, 0),
        messageTo(persist(node), AppendEntriesResponse.class, 3));
  }

  /**
   * In a cluster of one, a server's own vote is a majority: it leads as soon as it times out, appends its
   * no-op, and commits it once the no-op is durable. Reference: §5.2; thesis §6.4, §10.2.1.
   */
  @Test
  void aSingleServerElectsItselfAndCommitsOnceDurable() {
    RaftNode node = restored(config(1, List.of(1)), 0, 0, List.of(), sink);
    timeOut(node);
    assertEquals(List.of(TraceAction.Timeout, TraceAction.BecomeLeader), sink.drainActions());
    assertEquals(Role.Leader, node.role());
    assertEquals(0, node.commitIndex(), "the no-op is not durable yet");

    Ready first = persist(node);
    assertEquals(List.of(), first.messages());
    assertEquals(List.of(TraceAction.Persist, TraceAction.AdvanceCommitIndex), sink.drainActions());
    assertEquals(1, node.commitIndex());

    assertEquals(new ProposeResult.Accepted(2, 1), node.propose(Nodes.bytes("x")));
    assertEquals(1, node.commitIndex());
    Ready second = persist(node);
    assertEquals(1, second.committedEntries().size(), "the no-op, committed by the first advance");
    assertEquals(2, node.commitIndex());
    assertEquals(List.of(Nodes.entry(1, "x")), persist(node).committedEntries());
  }

  /**
   * A follower that grants a vote restarts its election timer; one that refuses does not.
   * Reference: Figure 2, Rules for Followers ("without ... granting vote to candidate").
   */
  @Test
  void grantingAVoteRestartsTheElectionTimer() {
    RaftNode node = restored(config(1, THREE), 1, 0, List.of(), new ScriptedRandom(0), sink);
    tick(node, T - 1);
    node.step(new RequestVoteRequest(2, 1, 1, 0, 0)); // granted
    persist(node);
    tick(node, T - 1);
    node.step(new RequestVoteRequest(3, 1, 1, 0, 0)); // refused: voted for 2
    persist(node);
    assertEquals(Role.Follower, node.role());
    node.tick();
    assertEquals(Role.Candidate, node.role(), "the refusal did not restart the timer");
  }

  /**
   * AppendEntries from the leader of the current term restarts the election timer; one of an older term
   * does not. Reference: §5.2; Figure 2, Rules for Followers.
   */
  @Test
  void appendEntriesFromTheCurrentLeaderRestartsTheElectionTimer() {
    RaftNode node = restored(config(1, THREE), 2, 0, List.of(), new ScriptedRandom(0), sink);
    tick(node, T - 1);
    node.step(new AppendEntriesRequest(2, 1, 2, 0, 0, List.of(), 0));
    persist(node);
    tick(node, T - 1);
    node.step(new AppendEntriesRequest(3, 1, 1, 0, 0, List.of(), 0)); // stale leader
    persist(node);
    assertEquals(Role.Follower, node.role());
    node.tick();
    assertEquals(Role.Candidate, node.role(), "the stale AppendEntries did not restart the timer");
  }

  private static void tick(RaftNode node, int times) {
    for (int i = 0; i < times; i++) {
      node.tick();
    }
    assertEquals(Role.Follower, node.role());
  }

  /** A candidate asks each other server once, and sends nothing else. Reference: §5.2. */
  @Test
  void candidateSendsOneRequestVoteToEachOtherServerAndNothingElse() {
    RaftNode node = restored(config(1, FIVE), 0, 0, List.of(), sink);
    timeOut(node);
    Ready ready = node.ready();
    assertEquals(ready.messages(), messages(ready, RequestVoteRequest.class));
    assertEquals(List.of(2, 3, 4, 5), ready.messages().stream().map(Message::to).toList());
  }
}
