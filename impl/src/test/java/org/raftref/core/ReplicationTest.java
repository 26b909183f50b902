package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.raftref.core.Nodes.THREE;
import static org.raftref.core.Nodes.assertNoop;
import static org.raftref.core.Nodes.bytes;
import static org.raftref.core.Nodes.config;
import static org.raftref.core.Nodes.elect;
import static org.raftref.core.Nodes.entry;
import static org.raftref.core.Nodes.log;
import static org.raftref.core.Nodes.logOf;
import static org.raftref.core.Nodes.messageTo;
import static org.raftref.core.Nodes.messages;
import static org.raftref.core.Nodes.persist;
import static org.raftref.core.Nodes.restored;
import static org.raftref.core.Nodes.termsOf;
import static org.raftref.core.Nodes.timeOut;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.TraceAction;

/** Log replication: §5.3 and Figure 2 (AppendEntries RPC), with the batching and back-off of this core. */
class ReplicationTest {

  private final RecordingSink sink = new RecordingSink();

  /** Node 1 of three, restored with {@code log} in term {@code term}, elected leader of term + 1. */
  private RaftNode leader(RaftConfig config, long term, List<LogEntry> log) {
    RaftNode node = elect(restored(config, term, 0, log, sink));
    sink.drain();
    return node;
  }

  private RaftNode leader(long term, List<LogEntry> log) {
    return leader(config(1, THREE), term, log);
  }

  /**
   * A new leader appends an entry of its own term with no command, and its first AppendEntries to every
   * follower carries that entry after the leader's last old entry (nextIndex starts at the no-op).
   * Reference: §5.3 (nextIndex initialised just past the leader's log); thesis §6.4; docs/steps.md
   * {@code BecomeLeader(i)}.
   */
  @Test
  void newLeaderAppendsANoopOfItsTermAndSendsItToEveryFollower() {
    RaftNode node = restored(config(1, THREE), 2, 0, log(1, 1, 2), sink);
    timeOut(node);
    persist(node);
    node.step(new RequestVoteResponse(2, 1, 3, true));

    assertEquals(Role.Leader, node.role());
    assertEquals(4, node.lastLogIndex());
    assertNoop(node.logEntry(4), 3);
    assertEquals(5, node.nextIndex(2), "nextIndex started at the no-op; sending it moved nextIndex past it");
    assertEquals(0, node.matchIndex(2));
    Ready ready = node.ready();
    assertEquals(4, ready.firstEntryIndex());
    assertEquals(List.of(node.logEntry(4)), ready.entries());
    for (int peer : List.of(2, 3)) {
      assertEquals(new AppendEntriesRequest(1, peer, 3, 3, 2, List.of(node.logEntry(4)), 0),
          messageTo(ready, AppendEntriesRequest.class, peer));
    }
  }

  /**
   * A leader appends a client's command to its log in its current term and sends it to every follower.
   * Reference: §5.3 ("The leader appends the command to its log as a new entry, then issues AppendEntries
   * RPCs in parallel"); docs/steps.md {@code ClientRequest(i, v)}.
   */
  @Test
  void leaderAppendsACommandInItsTermAndSendsIt() {
    RaftNode node = leader(2, log(1, 1, 2));

    assertEquals(new ProposeResult.Accepted(5, 3), node.propose(bytes("x")));

    assertEquals(List.of(TraceAction.ClientRequest, TraceAction.AppendEntries, TraceAction.AppendEntries),
        sink.drainActions());
    assertEquals(entry(3, "x"), node.logEntry(5));
    Ready ready = node.ready();
    assertEquals(List.of(entry(3, "x")), ready.entries());
    assertEquals(new AppendEntriesRequest(1, 2, 3, 4, 3, List.of(node.logEntry(5)), 0),
        messageTo(ready, AppendEntriesRequest.class, 2),
        "pipelined: the no-op is on its way already, so only the new entry is sent, after it");
    assertEquals(6, node.nextIndex(2));
  }

  /**
   * A batch of commands is one ClientRequest per command, in order, and then one AppendEntries per follower
   * carrying all of them: batching costs one message per follower, not one per command.
   * Reference: §5.3; docs/steps.md {@code ClientRequest(i, v)} ({@code proposeAll}).
   */
  @Test
  void proposeAllAppendsEveryCommandThenSendsOneAppendEntriesPerFollower() {
    RaftNode node = leader(2, log(1, 1, 2)); // log [1, 1, 2, 3]; the no-op is on its way

    assertEquals(new ProposeResult.Accepted(5, 3), node.proposeAll(List.of(bytes("a"), bytes("b"), bytes("c"))));

    assertEquals(List.of(TraceAction.ClientRequest, TraceAction.ClientRequest, TraceAction.ClientRequest,
        TraceAction.AppendEntries, TraceAction.AppendEntries), sink.drainActions());
    assertEquals(List.of(entry(3, "a"), entry(3, "b"), entry(3, "c")), logOf(node).subList(4, 7));
    Ready ready = node.ready();
    for (int peer : List.of(2, 3)) {
      assertEquals(new AppendEntriesRequest(1, peer, 3, 4, 3, logOf(node).subList(4, 7), 0),
          messageTo(ready, AppendEntriesRequest.class, peer));
    }
    node.advance(ready);
    IllegalArgumentException empty = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> node.proposeAll(List.of()));
    assertEquals("proposeAll needs at least one command", empty.getMessage());
  }

  /**
   * Pipelining: a leader sends new entries at once, without waiting for the reply to what it sent before,
   * and never sends an entry twice while nothing was refused: each request starts where the previous one
   * ended. Reference: §5.3 (the leader "retries AppendEntries RPCs indefinitely", but a request in flight
   * is not a failure); thesis §10.2.2 (pipelining); docs/steps.md {@code AppendEntries(i, j)}.
   */
  @Test
  void pipelinedRequestsEachCarryOnlyEntriesNotSentBefore() {
    RaftNode node = leader(1, log(1)); // log [1, 2]; the no-op (index 2) is on its way
    List<AppendEntriesRequest> toTwo = new ArrayList<>();
    for (String command : List.of("a", "b", "c")) {
      node.propose(bytes(command));
      toTwo.add(messageTo(persist(node), AppendEntriesRequest.class, 2));
    }

    assertEquals(List.of(2L, 3L, 4L), toTwo.stream().map(AppendEntriesRequest::prevLogIndex).toList());
    for (int k = 0; k < 3; k++) {
      assertEquals(List.of(node.logEntry(3 + k)), toTwo.get(k).entries());
    }
    assertEquals(6, node.nextIndex(2));
    assertEquals(0, node.matchIndex(2), "nothing acknowledged yet");

    // The replies arrive, in order: each raises matchIndex, none sends anything again.
    for (AppendEntriesRequest request : toTwo) {
      node.step(new AppendEntriesResponse(2, 1, 2, true, request.lastNewIndex(), 0, 0));
      assertEquals(List.of(), messages(persist(node), AppendEntriesRequest.class).stream()
          .filter(m -> m.to() == 2).toList());
    }
    assertEquals(5, node.matchIndex(2));
  }

  /**
   * A pipelined request that is lost is repaired by the follower's refusal of the next one (its
   * prevLogIndex is past the follower's log): the leader moves nextIndex back to the hint and sends again
   * from there. Reference: §5.3 (consistency check; "the leader decrements nextIndex and retries").
   */
  @Test
  void aLostPipelinedRequestIsRepairedByTheRefusalOfTheNext() {
    RaftNode leader = leader(1, log(1)); // log [1, 2]
    RaftNode follower = restored(config(2, THREE), 2, 1, logOf(leader), sink); // it has the no-op
    leader.propose(bytes("lost"));
    persist(leader); // the request carrying "lost" (index 3) never arrives
    leader.propose(bytes("next"));
    AppendEntriesRequest next = messageTo(persist(leader), AppendEntriesRequest.class, 2);
    assertEquals(3, next.prevLogIndex());

    follower.step(next);
    AppendEntriesResponse refusal = messageTo(persist(follower), AppendEntriesResponse.class, 1);
    assertFalse(refusal.success());
    leader.step(refusal);
    AppendEntriesRequest repair = messageTo(persist(leader), AppendEntriesRequest.class, 2);

    assertEquals(2, repair.prevLogIndex());
    assertEquals(List.of(leader.logEntry(3), leader.logEntry(4)), repair.entries());
    follower.step(repair);
    leader.step(messageTo(persist(follower), AppendEntriesResponse.class, 1));
    assertEquals(logOf(leader), logOf(follower));
    assertEquals(4, leader.matchIndex(2));
  }

  /**
   * Only the leader accepts commands; any other server answers with the leader it knows of, if any, and
   * changes nothing. Reference: §8 (clients are redirected to the leader).
   */
  @Test
  void aServerThatIsNotLeaderRefusesCommandsAndNamesTheLeader() {
    RaftNode node = restored(config(1, THREE), 2, 0, log(1, 2), sink);
    assertEquals(new ProposeResult.NotLeader(0, 2), node.propose(bytes("x")));
    node.step(new AppendEntriesRequest(3, 1, 2, 2, 2, List.of(), 0));
    persist(node);
    sink.drain();

    assertEquals(new ProposeResult.NotLeader(3, 2), node.propose(bytes("x")));

    assertEquals(2, node.lastLogIndex());
    assertFalse(node.hasReady());
    assertEquals(List.of(), sink.drainActions());
  }

  /**
   * A follower refuses entries unless its log holds prevLogIndex with prevLogTerm, and its log is not
   * touched. The refusal carries the hint for the leader: a log too short gives conflictTerm 0 and
   * conflictIndex just past the log; a different term at prevLogIndex gives that term and the first index
   * holding it. Reference: §5.3 (consistency check, and the optimisation at its end); Figure 2,
   * AppendEntries receiver 2; docs/steps.md, failure hint.
   */
  @ParameterizedTest(name = "log terms {0}, prevLogIndex {1}, prevLogTerm {2}: conflict term {3} index {4}")
  @CsvSource({
      "'1,1', 5, 2, 0, 3", // too short
      "'1,1', 3, 1, 0, 3", // too short by one
      "'1,1,2,2,2', 4, 3, 2, 3", // term 2 differs from 3 at 4; term 2 starts at 3
      "'1,1,2,2,2', 2, 2, 1, 1", // term 1 at 2; term 1 starts at 1
      "'2,2,2', 3, 3, 2, 1",
  })
  void followerRefusesEntriesThatDoNotFollowItsLog(String logTerms, long prevLogIndex, long prevLogTerm,
      long conflictTerm, long conflictIndex) {
    List<LogEntry> log = log(terms(logTerms));
    RaftNode node = restored(config(1, THREE), 3, 0, log, sink);

    node.step(new AppendEntriesRequest(2, 1, 4, prevLogIndex, prevLogTerm, List.of(entry(4, "x")), 4));

    assertEquals(log, logOf(node));
    assertEquals(0, node.commitIndex());
    Ready ready = persist(node);
    assertEquals(List.of(), ready.entries());
    assertEquals(new AppendEntriesResponse(1, 2, 4, false, 0, conflictTerm, conflictIndex),
        messageTo(ready, AppendEntriesResponse.class, 2));
  }

  private static long[] terms(String commaSeparated) {
    return java.util.Arrays.stream(commaSeparated.split(",")).mapToLong(Long::parseLong).toArray();
  }

  /** prevLogIndex 0 names the empty prefix, which every log holds. Reference: Figure 2, receiver 2. */
  @Test
  void entriesAfterTheEmptyPrefixAreAlwaysAccepted() {
    RaftNode node = restored(config(1, THREE), 0, 0, List.of(), sink);
    node.step(new AppendEntriesRequest(2, 1, 1, 0, 0, List.of(entry(1, "a")), 0));
    assertEquals(List.of(entry(1, "a")), logOf(node));
    assertEquals(new AppendEntriesResponse(1, 2, 1, true, 1, 0, 0),
        messageTo(persist(node), AppendEntriesResponse.class, 2));
  }

  /**
   * An entry that conflicts with a new one (same index, different term) is deleted with all that follow
   * it, and the new entries are appended; entries before the conflict stay, and are not written again.
   * Reference: §5.3; Figure 2, AppendEntries receiver 3 and 4.
   */
  @Test
  void aConflictingEntryAndAllThatFollowItAreReplaced() {
    List<LogEntry> old = log(1, 1, 2, 2);
    RaftNode node = restored(config(1, THREE), 2, 0, old, sink);

    node.step(new AppendEntriesRequest(3, 1, 3, 1, 1, List.of(old.get(1), entry(3, "new")), 0));

    assertEquals(List.of(old.get(0), old.get(1), entry(3, "new")), logOf(node));
    assertEquals(2, node.stableIndex(), "entry 3 and 4 on disk are no longer the log");
    Ready ready = persist(node);
    assertEquals(3, ready.firstEntryIndex());
    assertEquals(List.of(entry(3, "new")), ready.entries());
    assertEquals(new AppendEntriesResponse(1, 3, 3, true, 3, 0, 0),
        messageTo(ready, AppendEntriesResponse.class, 3));
    assertEquals(3, node.stableIndex());
  }

  /**
   * A request whose entries all match the log deletes nothing, even when the log goes further: it may be
   * a delayed or duplicated copy of an older request, and the entries after it may already be committed.
   * The reply acknowledges only what the request covered.
   * Reference: Figure 2, AppendEntries receiver 3 ("If an existing entry conflicts"); §5.3.
   */
  @ParameterizedTest(name = "prevLogIndex {0}, {1} entries")
  @CsvSource({"0, 2", "1, 2", "2, 2", "1, 0", "4, 0", "0, 4"})
  void aRequestWhoseEntriesAllMatchDeletesNothing(int prevLogIndex, int count) {
    List<LogEntry> old = log(1, 1, 2, 2);
    RaftNode node = restored(config(1, THREE), 2, 0, old, sink);
    long prevLogTerm = prevLogIndex == 0 ? 0 : old.get(prevLogIndex - 1).term();

    node.step(new AppendEntriesRequest(2, 1, 2, prevLogIndex, prevLogTerm,
        old.subList(prevLogIndex, prevLogIndex + count), 0));

    assertEquals(old, logOf(node));
    Ready ready = persist(node);
    assertEquals(List.of(), ready.entries(), "nothing to write");
    assertEquals(new AppendEntriesResponse(1, 2, 2, true, prevLogIndex + count, 0, 0),
        messageTo(ready, AppendEntriesResponse.class, 2));
  }

  /** Only the entries not already in the log are appended and written. Reference: Figure 2, receiver 4. */
  @Test
  void onlyNewEntriesAreAppended() {
    List<LogEntry> old = log(1, 1);
    RaftNode node = restored(config(1, THREE), 1, 0, old, sink);
    node.step(new AppendEntriesRequest(2, 1, 2, 1, 1, List.of(old.get(1), entry(2, "b"), entry(2, "c")), 0));
    assertEquals(List.of(old.get(0), old.get(1), entry(2, "b"), entry(2, "c")), logOf(node));
    Ready ready = persist(node);
    assertEquals(3, ready.firstEntryIndex());
    assertEquals(List.of(entry(2, "b"), entry(2, "c")), ready.entries());
  }

  /**
   * One AppendEntries carries at most maxEntriesPerAppend entries; when the follower acknowledges a batch,
   * the leader sends the next one at once, until the follower has everything.
   * Reference: §5.3 (the leader retries until the follower's log matches); RaftConfig.maxEntriesPerAppend.
   */
  @Test
  void batchesAreCutByCount() {
    RaftNode node = leader(new RaftConfig(1, THREE, 10, 1, 2, 1 << 20), 1, log(1, 1, 1, 1));
    assertEquals(List.of(0L, 2L, 4L), sendsAfterBackingOffToOne(node, List.of(2, 2, 1)));
  }

  /**
   * One AppendEntries carries at most maxBytesPerAppend command bytes: 4-byte commands with a limit of 8
   * go two at a time (exactly the limit is allowed); a no-op weighs nothing.
   * Reference: RaftConfig.maxBytesPerAppend.
   */
  @Test
  void batchesAreCutByBytes() {
    List<LogEntry> log = List.of(entry(1, "aaaa"), entry(1, "bbbb"), entry(1, "cccc"), entry(1, "dddd"));
    RaftNode node = leader(new RaftConfig(1, THREE, 10, 1, 64, 8), 1, log);
    assertEquals(List.of(0L, 2L), sendsAfterBackingOffToOne(node, List.of(2, 3)));
  }

  /**
   * An entry larger than maxBytesPerAppend still goes, alone: a batch always carries at least one entry,
   * or the follower could never catch up. Reference: RaftConfig.maxBytesPerAppend.
   */
  @Test
  void anEntryLargerThanTheByteLimitGoesAlone() {
    List<LogEntry> log = List.of(new LogEntry(1, new byte[100]), entry(1, "aaaa"));
    RaftNode node = leader(new RaftConfig(1, THREE, 10, 1, 64, 8), 1, log);
    assertEquals(List.of(0L, 1L), sendsAfterBackingOffToOne(node, List.of(1, 2)));
  }

  /**
   * Makes follower 2 refuse with conflictIndex 1 (an empty log), then acknowledges each AppendEntries that
   * follows; checks the batch sizes and that the leader stops once the follower has its whole log.
   * Returns the prevLogIndex of each batch.
   */
  private List<Long> sendsAfterBackingOffToOne(RaftNode leader, List<Integer> batchSizes) {
    persist(leader);
    leader.step(new AppendEntriesResponse(2, 1, leader.currentTerm(), false, 0, 0, 1));
    List<Long> prevLogIndexes = new ArrayList<>();
    List<LogEntry> received = new ArrayList<>();
    for (int batch = 0; ; batch++) {
      List<AppendEntriesRequest> sent = messages(persist(leader), AppendEntriesRequest.class);
      if (sent.isEmpty()) {
        break;
      }
      AppendEntriesRequest request = sent.get(0);
      assertEquals(2, request.to());
      assertEquals(batchSizes.get(batch), request.entries().size(), "batch " + batch);
      prevLogIndexes.add(request.prevLogIndex());
      received.addAll(request.entries());
      leader.step(new AppendEntriesResponse(2, 1, leader.currentTerm(), true, request.lastNewIndex(), 0, 0));
    }
    assertEquals(logOf(leader), received, "the batches together are the leader's log");
    assertEquals(leader.lastLogIndex(), leader.matchIndex(2));
    return prevLogIndexes;
  }

  /**
   * A leader and a real follower with diverging logs converge, and the leader backs off a whole term per
   * refusal: past the follower's end when it is short, to the follower's first index of the conflicting
   * term when the leader has no entry of that term, and just past its own last entry of that term when it
   * has one. Reference: §5.3 (the optimisation "the leader can decrement nextIndex to bypass all of the
   * conflicting entries in that term"); docs/steps.md, failure hint; MIT 6.824 "Backup".
   */
  @ParameterizedTest(name = "leader log {0}, follower log {1}: AppendEntries after prevLogIndex {2}")
  @CsvSource({
      "'1,1,1', '1', '4,1'", // follower short: back off to its end
      "'1,1,1,4,4', '1,1,1,2,2,2,2', '6,3'", // leader has no entry of term 2: to the follower's first 2
      "'1,1,2,2,4,4', '1,1,2,2,2,2,2', '7,4'", // leader has term 2: just past its last 2
      "'1,1,1', '1,1,1', '4,3'", // only the no-op (its first request was lost) to fix
      "'1,1,1', '', '4,0'",
  })
  void divergingLogsConvergeWithTheLeaderBackingOffATermAtATime(String leaderTerms, String followerTerms,
      String expectedPrevLogIndexes) {
    List<LogEntry> leaderLog = log(terms(leaderTerms));
    long leaderTerm = leaderLog.get(leaderLog.size() - 1).term();
    RaftNode leader = leader(leaderTerm, leaderLog);
    List<LogEntry> followerLog = followerTerms.isEmpty() ? List.of() : log(terms(followerTerms));
    RaftNode follower = restored(config(2, THREE), leaderTerm, 0, followerLog, sink);

    List<Long> prevLogIndexes = new ArrayList<>();
    // The election's requests (carrying the no-op) were lost. A heartbeat goes from nextIndex, past the no-op
    // already sent; the follower's refusal moves nextIndex back.
    leader.tick();
    List<Message> toFollower = messages(persist(leader), AppendEntriesRequest.class).stream()
        .filter(m -> m.to() == 2).map(Message.class::cast).toList();
    while (!toFollower.isEmpty()) {
      List<Message> toLeader = new ArrayList<>();
      for (Message m : toFollower) {
        prevLogIndexes.add(((AppendEntriesRequest) m).prevLogIndex());
        follower.step(m);
        toLeader.addAll(persist(follower).messages());
      }
      List<Message> next = new ArrayList<>();
      for (Message m : toLeader) {
        leader.step(m);
        persist(leader).messages().stream().filter(r -> r.to() == 2).forEach(next::add);
      }
      toFollower = next;
    }

    assertEquals(java.util.Arrays.stream(terms(expectedPrevLogIndexes)).boxed().toList(), prevLogIndexes);
    assertEquals(logOf(leader), logOf(follower));
    assertEquals(leader.lastLogIndex(), leader.matchIndex(2));
    assertEquals(leader.lastLogIndex() + 1, leader.nextIndex(2));
  }

  /**
   * On success the leader raises matchIndex and nextIndex; a delayed older success lowers neither.
   * Reference: Figure 2, Rules for Leaders ("If successful: update nextIndex and matchIndex");
   * docs/steps.md {@code HandleAppendEntriesResponse}.
   */
  @Test
  void aDelayedOlderSuccessLowersNothing() {
    RaftNode node = leader(1, log(1, 1, 1)); // log [1, 1, 1, 2]
    node.step(new AppendEntriesResponse(2, 1, 2, true, 4, 0, 0));
    assertEquals(4, node.matchIndex(2));
    assertEquals(5, node.nextIndex(2));
    node.step(new AppendEntriesResponse(2, 1, 2, true, 2, 0, 0));
    assertEquals(4, node.matchIndex(2));
    assertEquals(5, node.nextIndex(2));
  }

  /**
   * A refusal never moves nextIndex below matchIndex + 1 (a delayed refusal cannot undo what a success
   * proved) nor above its old value (a back-off never moves forward), and the leader retries at once.
   * Reference: §5.3; docs/steps.md {@code HandleAppendEntriesResponse} ("never below 1 and never above its
   * old value", and the Max(matchIndex + 1, ...) rule).
   */
  @Test
  void aBackOffStaysAboveMatchIndexAndNeverMovesForward() {
    RaftNode node = leader(1, log(1, 1, 1)); // log [1, 1, 1, 2]; the no-op was sent, so nextIndex is 5
    node.step(new AppendEntriesResponse(2, 1, 2, false, 0, 0, 100));
    assertEquals(5, node.nextIndex(2), "a hint beyond nextIndex is ignored");
    assertEquals(4, messageTo(persist(node), AppendEntriesRequest.class, 2).prevLogIndex(), "retried at once");

    node.step(new AppendEntriesResponse(2, 1, 2, true, 3, 0, 0));
    persist(node);
    node.step(new AppendEntriesResponse(2, 1, 2, false, 0, 0, 1)); // an old refusal, delivered late
    assertEquals(3, node.matchIndex(2));
    AppendEntriesRequest retry = messageTo(persist(node), AppendEntriesRequest.class, 2);
    assertEquals(3, retry.prevLogIndex(), "nextIndex went back to matchIndex + 1, not below");
    assertEquals(List.of(node.logEntry(4)), retry.entries());
    assertEquals(5, node.nextIndex(2), "and the retry moved it past what it sent");
  }

  /**
   * A reply of an older term changes nothing on the leader: it answers a request of an earlier term.
   * Reference: §5.1 ("If a server receives a request with a stale term number, it rejects the request";
   * replies of a past term are stale); docs/steps.md {@code HandleAppendEntriesResponse}.
   */
  @Test
  void aReplyOfAnOlderTermChangesNothing() {
    RaftNode node = leader(1, log(1, 1, 1));
    node.step(new AppendEntriesResponse(2, 1, 1, false, 0, 0, 1));
    node.step(new AppendEntriesResponse(3, 1, 1, true, 4, 0, 0));
    assertEquals(5, node.nextIndex(2), "just past the no-op the election sent");
    assertEquals(0, node.matchIndex(3));
    assertEquals(0, node.commitIndex());
    assertEquals(List.of(TraceAction.HandleAppendEntriesResponse, TraceAction.HandleAppendEntriesResponse),
        sink.drainActions());
    assertEquals(List.of(), persist(node).messages());
  }

  /**
   * A leader sends AppendEntries to every follower every heartbeatTicks ticks; to an up-to-date follower it
   * carries no entries, only the leader's last index and term and its commit index.
   * Reference: §5.2 ("Leaders send periodic heartbeats (AppendEntries RPCs that carry no log entries)").
   */
  @Test
  void leaderSendsHeartbeatsEveryHeartbeatTicks() {
    RaftNode node = leader(new RaftConfig(1, THREE, 10, 3, 64, 1 << 20), 1, log(1));
    node.step(new AppendEntriesResponse(2, 1, 2, true, 2, 0, 0));
    node.step(new AppendEntriesResponse(3, 1, 2, true, 2, 0, 0));
    persist(node);
    assertEquals(2, node.commitIndex());
    sink.drain();

    List<Integer> heartbeatTicks = new ArrayList<>();
    for (int tick = 1; tick <= 30; tick++) {
      node.tick();
      List<AppendEntriesRequest> sent = messages(persist(node), AppendEntriesRequest.class);
      if (!sent.isEmpty()) {
        heartbeatTicks.add(tick);
        assertEquals(List.of(new AppendEntriesRequest(1, 2, 2, 2, 2, List.of(), 2),
            new AppendEntriesRequest(1, 3, 2, 2, 2, List.of(), 2)), sent);
      }
    }
    assertEquals(List.of(3, 6, 9, 12, 15, 18, 21, 24, 27, 30), heartbeatTicks);
    assertTrue(sink.drainActions().stream()
        .allMatch(a -> a == TraceAction.AppendEntries || a == TraceAction.Persist));
  }
}
