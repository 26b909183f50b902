package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.raftref.core.Nodes.THREE;
import static org.raftref.core.Nodes.config;
import static org.raftref.core.Nodes.elect;
import static org.raftref.core.Nodes.entry;
import static org.raftref.core.Nodes.log;
import static org.raftref.core.Nodes.restored;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/**
 * Bad input: a message that no correct run can produce, that is addressed to another node, or that comes
 * from a node outside the cluster is counted and otherwise ignored. It never throws out of step(), takes no
 * step (no trace event), and changes nothing, not even the term, though most of these carry a higher one.
 */
class MalformedMessageTest {

  private final RecordingSink sink = new RecordingSink();

  /** Node 1 leads term 2 of {1, 2, 3}; its log is [1, 2]. */
  private RaftNode leader() {
    RaftNode node = elect(restored(config(1, THREE), 1, 0, log(1), sink));
    sink.drain();
    return node;
  }

  static Stream<Arguments> badMessages() {
    return Stream.of(
        Arguments.of(new RequestVoteRequest(0, 1, 5, 0, 0), "RequestVoteRequest is malformed: from must be a positive node id, was 0"),
        Arguments.of(new RequestVoteResponse(-3, 1, 5, true), "from must be a positive node id, was -3"),
        Arguments.of(new RequestVoteRequest(2, -1, 5, 0, 0), "to must be a positive node id, was -1"),
        Arguments.of(new RequestVoteResponse(2, 1, -1, true), "term must not be negative, was -1"),
        Arguments.of(new RequestVoteRequest(2, 1, 5, 0, -1), "lastLogIndex and lastLogTerm must not be negative, were -1 and 0"),
        Arguments.of(new RequestVoteRequest(2, 1, 5, 6, 1), "lastLogTerm 6 is above the candidate's term 5"),
        Arguments.of(new RequestVoteRequest(2, 1, 5, 1, 0), "lastLogIndex 0 and lastLogTerm 1 must both be 0 or both positive"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, -1, 0, List.of(), 0), "prevLogIndex, prevLogTerm and leaderCommit must not be negative, were -1, 0, 0"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 0, 0, List.of(), -5), "must not be negative, were 0, 0, -5"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 0, 1, List.of(), 0), "prevLogIndex 0 and prevLogTerm 1 must both be 0 or both positive"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 1, 6, List.of(), 0), "prevLogTerm 6 is above the leader's term 5"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 0, 0, List.of(entry(0, "x")), 0), "entry terms must be positive, non-decreasing and at most the leader's term 5"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 1, 3, List.of(entry(2, "x")), 0), "entry terms must be positive, non-decreasing"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 0, 0, List.of(entry(4, "x"), entry(3, "y")), 0), "entry terms must be positive, non-decreasing"),
        Arguments.of(new AppendEntriesRequest(2, 1, 5, 0, 0, List.of(entry(6, "x")), 0), "at most the leader's term 5"),
        Arguments.of(new AppendEntriesResponse(2, 1, 5, true, -1, 0, 0), "matchIndex, conflictTerm and conflictIndex must not be negative, were -1, 0, 0"),
        Arguments.of(new AppendEntriesResponse(2, 1, 5, false, 0, 0, -2), "must not be negative, were 0, 0, -2"),
        Arguments.of(new RequestVoteRequest(2, 1, Long.MAX_VALUE, 0, 0), "RequestVoteRequest has term 9223372036854775807, above 4611686018427387903, which no run reaches"),
        Arguments.of(new AppendEntriesResponse(2, 1, RaftNode.MAX_TERM + 1, false, 0, 0, 0), "has term 4611686018427387904, above"),
        Arguments.of(new RequestVoteRequest(2, 3, 5, 0, 0), "RequestVoteRequest is addressed to 3, not to this node 1"),
        Arguments.of(new AppendEntriesRequest(9, 1, 5, 0, 0, List.of(), 0), "AppendEntriesRequest comes from 9, which is not another member of [1, 2, 3]"),
        Arguments.of(new RequestVoteResponse(1, 1, 5, true), "RequestVoteResponse comes from 1, which is not another member of [1, 2, 3]"),
        Arguments.of(new AppendEntriesResponse(2, 1, 2, true, 3, 0, 0), "AppendEntriesResponse from 2 acknowledges index 3, beyond this leader's last index 2"),
        Arguments.of(new AppendEntriesRequest(3, 1, 2, 0, 0, List.of(), 0), "AppendEntriesRequest from 3 claims to lead term 2, which this node leads"));
  }

  /**
   * Each bad message is rejected with a reason that names the field and the value, and changes nothing.
   * Reference: the "Bad input"; {@link Message#malformation()}; Election Safety (§5.2) for the
   * second leader of a term; a leader's log only grows in its term (Leader Append-Only) for the
   * acknowledgement beyond its log.
   */
  @ParameterizedTest(name = "{1}")
  @MethodSource("badMessages")
  void aBadMessageIsCountedAndChangesNothing(Message m, String reason) {
    RaftNode node = leader();
    Snapshot before = Snapshot.of(node);

    assertDoesNotThrow(() -> node.step(m));

    assertEquals(1, node.rejectedMessages());
    assertTrue(node.lastRejection().contains(reason), "expected \"" + reason + "\" in: " + node.lastRejection());
    assertEquals(before, Snapshot.of(node));
    assertEquals(List.of(), sink.drainActions(), "a rejected message is no step");
  }

  /**
   * The largest term no run reaches is still accepted, and an election from it does not overflow.
   * (A term near Long.MAX_VALUE, once adopted, made the node's next election overflow currentTerm.)
   */
  @Test
  void theLargestAcceptedTermLeavesRoomForElections() {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), sink);
    node.step(new RequestVoteResponse(2, 1, RaftNode.MAX_TERM, false));
    assertEquals(0, node.rejectedMessages());
    Nodes.persist(node);
    Nodes.timeOut(node);
    assertEquals(RaftNode.MAX_TERM + 1, Nodes.persist(node).hardState().currentTerm());
  }

  /**
   * Entries that would replace committed ones are refused: no leader's log conflicts with a committed
   * entry (Leader Completeness, §5.4), and taking them would truncate the log below commitIndex and
   * un-apply applied entries. The follower's log [1, 1, 2] is committed up to 2; entry 3 is not committed.
   * Reference: §5.4.1 (Leader Completeness); Figure 3.
   */
  @Test
  void entriesThatWouldReplaceCommittedOnesAreRefused() {
    RaftNode node = restored(config(1, THREE), 2, 0, log(1, 1, 2), sink);
    node.step(new AppendEntriesRequest(2, 1, 2, 3, 2, List.of(), 2));
    Nodes.persist(node);
    assertEquals(2, node.commitIndex());
    Snapshot before = Snapshot.of(node);
    sink.drain();

    node.step(new AppendEntriesRequest(3, 1, 3, 1, 1, List.of(entry(3, "x")), 0));

    assertEquals(1, node.rejectedMessages());
    assertEquals("AppendEntriesRequest from 3 conflicts with committed entry 2 (commitIndex 2), which no"
        + " leader's log does (Leader Completeness, §5.4)", node.lastRejection());
    assertEquals(before, Snapshot.of(node), "not even the term changed");
    assertEquals(List.of(), sink.drainActions());

    node.step(new AppendEntriesRequest(3, 1, 3, 2, 1, List.of(entry(3, "y")), 0)); // replaces entry 3 only
    assertEquals(1, node.rejectedMessages(), "an uncommitted entry may be replaced");
    assertEquals(3, node.logTerm(3));
  }

  /** Every rejection is counted, and lastRejection tells the latest one. */
  @Test
  void rejectionsAreCountedOneByOne() {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), sink);
    assertEquals(0, node.rejectedMessages());
    assertNull(node.lastRejection());
    node.step(new RequestVoteRequest(7, 1, 1, 0, 0));
    node.step(new RequestVoteRequest(2, 1, 1, 0, 0)); // a good one in between
    node.step(new RequestVoteRequest(8, 1, 1, 0, 0));
    assertEquals(2, node.rejectedMessages());
    assertTrue(node.lastRejection().contains("comes from 8"), node.lastRejection());
  }
}
