package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.raftref.core.Nodes.THREE;
import static org.raftref.core.Nodes.config;
import static org.raftref.core.Nodes.elect;
import static org.raftref.core.Nodes.log;
import static org.raftref.core.Nodes.persist;
import static org.raftref.core.Nodes.restored;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/**
 * Messages with arbitrary field values, fed to node 1 of {1, 2, 3} in each role, interleaved with ticks:
 * step() never throws, a rejected message takes no step and changes nothing, an accepted one takes the
 * steps docs/steps.md allows, the node's own invariants hold after every input, and the driver's
 * ready()/advance() keep working. The seed is fixed, so a run is reproducible; on a failure jqwik prints
 * the shrunk sample, and running the same command again replays it:
 * {@code mvn -B -q -pl impl test -Dtest=ArbitraryMessageProperties -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ArbitraryMessageProperties {

  /** The state node 1 is in before the messages arrive. */
  enum Start {
    NEW_FOLLOWER,
    FOLLOWER_WITH_COMMITTED_LOG,
    CANDIDATE,
    LEADER,
    LEADER_WITH_COMMITTED_ENTRIES
  }

  /** One input: a message, or (when {@code message} is null) {@code ticks} ticks. */
  record Input(Message message, int ticks) {
    @Override
    public String toString() {
      return message == null ? ticks + " ticks" : message.toString();
    }
  }

  private final RecordingSink sink = new RecordingSink();

  private RaftNode start(Start start) {
    RaftNode node = switch (start) {
      case NEW_FOLLOWER -> restored(config(1, THREE), 0, 0, List.of(), sink);
      case FOLLOWER_WITH_COMMITTED_LOG -> {
        RaftNode follower = restored(config(1, THREE), 2, 2, log(1, 1, 2), sink);
        follower.step(new AppendEntriesRequest(2, 1, 2, 3, 2, List.of(), 3));
        yield follower;
      }
      case CANDIDATE -> {
        RaftNode candidate = restored(config(1, THREE), 2, 0, log(1, 2), sink);
        Nodes.timeOut(candidate);
        yield candidate;
      }
      case LEADER -> elect(restored(config(1, THREE), 1, 0, log(1), sink));
      case LEADER_WITH_COMMITTED_ENTRIES -> {
        RaftNode leader = elect(restored(config(1, THREE), 1, 0, log(1, 1), sink));
        leader.propose(Nodes.bytes("x"));
        persist(leader);
        leader.step(new AppendEntriesResponse(2, 1, 2, true, 4, 0, 0));
        yield leader;
      }
    };
    drain(node);
    sink.drain();
    return node;
  }

  @Property(tries = 1000, seed = "20261127", edgeCases = EdgeCasesMode.MIXIN)
  void stepNeverThrowsAndARejectedMessageChangesNothing(@ForAll Start start,
      @ForAll("inputs") List<Input> inputs) {
    RaftNode node = start(start);
    for (Input input : inputs) {
      long termBefore = node.currentTerm();
      long commitBefore = node.commitIndex();
      if (input.message() == null) {
        for (int i = 0; i < input.ticks(); i++) {
          assertDoesNotThrow(node::tick, "tick");
          assertTrue(Pattern.matches(StepsContract.tick(2), StepsContract.joined(sink.drain())));
          drain(node);
          assertTrue(Pattern.matches(StepsContract.advance(), StepsContract.joined(sink.drain())));
        }
      } else {
        stepOne(node, input.message());
      }
      assertTrue(node.currentTerm() >= termBefore, "currentTerm never decreases");
      assertTrue(node.commitIndex() >= commitBefore, "commitIndex never decreases");
      checkInvariants(node);
      drain(node);
      assertTrue(Pattern.matches(StepsContract.advance(), StepsContract.joined(sink.drain())));
      checkInvariants(node);
    }
  }

  private void stepOne(RaftNode node, Message m) {
    Snapshot before = Snapshot.of(node);
    long rejectedBefore = node.rejectedMessages();
    boolean expectRejection = isImpossible(node, m);

    assertDoesNotThrow(() -> node.step(m), m.toString());

    String events = StepsContract.joined(sink.drain());
    boolean rejected = node.rejectedMessages() != rejectedBefore;
    assertEquals(expectRejection, rejected, m + (rejected ? " was rejected: " + node.lastRejection() : " was accepted"));
    if (rejected) {
      assertEquals(rejectedBefore + 1, node.rejectedMessages());
      assertNotNull(node.lastRejection());
      assertEquals(before, Snapshot.of(node), "a rejected message changed the node: " + m);
      assertEquals("", events, "a rejected message took a step: " + m);
    } else {
      assertTrue(Pattern.matches(StepsContract.accepted(m, 2), events), m + " took the steps [" + events + " ]");
    }
  }

  /**
   * The model of what the node must reject, written from the rules rather than from the code: the shape
   * checks of {@link Message#malformation()}, a term beyond any run, another receiver, a sender that is not
   * another member; and, judged against the node's own state, what only a broken peer sends: a second
   * leader of this leader's term (Election Safety), an acknowledgement of entries this leader does not have
   * (Leader Append-Only), and entries that would replace committed ones (Leader Completeness).
   */
  private static boolean isImpossible(RaftNode node, Message m) {
    if (m.malformation() != null || m.term() > RaftNode.MAX_TERM || m.to() != 1
        || (m.from() != 2 && m.from() != 3)) {
      return true;
    }
    boolean leaderOfItsTerm = node.role() == Role.Leader && m.term() == node.currentTerm();
    if (leaderOfItsTerm && m instanceof AppendEntriesRequest) {
      return true;
    }
    if (leaderOfItsTerm && m instanceof AppendEntriesResponse r && r.success()
        && r.matchIndex() > node.lastLogIndex()) {
      return true;
    }
    if (m instanceof AppendEntriesRequest r && r.term() >= node.currentTerm()
        && r.prevLogIndex() <= node.lastLogIndex() && node.logTerm(r.prevLogIndex()) == r.prevLogTerm()) {
      long index = r.prevLogIndex();
      for (LogEntry entry : r.entries()) {
        index++;
        if (index > node.lastLogIndex()) {
          return false;
        }
        if (node.logTerm(index) != entry.term()) {
          return index <= node.commitIndex();
        }
      }
    }
    return false;
  }

  /** What must hold of a node after every input, whatever the input. */
  private static void checkInvariants(RaftNode node) {
    assertTrue(node.commitIndex() <= node.lastLogIndex(), "commitIndex " + node.commitIndex()
        + " beyond the last index " + node.lastLogIndex());
    assertTrue(node.appliedIndex() <= node.commitIndex(), "appliedIndex beyond commitIndex");
    assertTrue(node.stableIndex() <= node.lastLogIndex(), "stableIndex beyond the last index");
    assertTrue(node.votedFor() == 0 || List.of(1, 2, 3).contains(node.votedFor()), "votedFor a non-member");
    assertTrue(node.role() != Role.Leader || node.leaderId() == 1, "a leader knows it leads");
    for (long i = 2; i <= node.lastLogIndex(); i++) {
      assertTrue(node.logTerm(i - 1) <= node.logTerm(i), "log terms decrease at " + i);
    }
    assertTrue(node.logTerm(node.lastLogIndex()) <= node.currentTerm(), "an entry of a future term");
  }

  /** The driver's part: persist and acknowledge until nothing is left, which must never throw. */
  private static void drain(RaftNode node) {
    for (int i = 0; i < 3 && node.hasReady(); i++) {
      persist(node);
    }
    assertTrue(!node.hasReady(), "a Ready after three rounds of persisting");
  }

  @Provide
  Arbitrary<List<Input>> inputs() {
    // Up to 2T ticks: enough for an election timeout to elapse.
    Arbitrary<Input> tick = Arbitraries.integers().between(1, 2 * Nodes.T).map(n -> new Input(null, n));
    Arbitrary<Input> message = messages().map(m -> new Input(m, 0));
    return Arbitraries.frequencyOf(Tuple.of(1, tick), Tuple.of(4, message)).list().ofMaxSize(12);
  }

  private static Arbitrary<Integer> ids() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, Arbitraries.integers().between(1, 3)),
        Tuple.of(2, Arbitraries.integers().between(-1, 5)),
        Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE)));
  }

  private static Arbitrary<Integer> receivers() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(1)), Tuple.of(1, ids()));
  }

  /** Terms and indexes: mostly near the node's, sometimes negative or extreme. */
  private static Arbitrary<Long> numbers() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.longs().between(0, 6)),
        Tuple.of(2, Arbitraries.longs().between(-2, 12)),
        Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE)));
  }

  private static Arbitrary<LogEntry> entries() {
    return Combinators.combine(numbers(), Arbitraries.bytes().array(byte[].class).ofMaxSize(3))
        .as(LogEntry::new);
  }

  /** Half with arbitrary field values, half well formed from a peer, so that both paths get exercised. */
  static Arbitrary<Message> messages() {
    return Arbitraries.frequencyOf(Tuple.of(1, arbitraryMessages()), Tuple.of(1, wellFormedMessages()));
  }

  private static Arbitrary<Message> arbitraryMessages() {
    Arbitrary<Message> requestVote = Combinators.combine(ids(), receivers(), numbers(), numbers(), numbers())
        .as(RequestVoteRequest::new);
    Arbitrary<Message> voteResponse = Combinators.combine(ids(), receivers(), numbers(), Arbitraries.of(true, false))
        .as(RequestVoteResponse::new);
    Arbitrary<Message> appendEntries = Combinators.combine(ids(), receivers(), numbers(), numbers(), numbers(),
        entries().list().ofMaxSize(4), numbers()).as(AppendEntriesRequest::new);
    Arbitrary<Message> appendResponse = Combinators.combine(ids(), receivers(), numbers(),
        Arbitraries.of(true, false), numbers(), numbers(), numbers()).as(AppendEntriesResponse::new);
    return Arbitraries.oneOf(requestVote, voteResponse, appendEntries, appendResponse);
  }

  /**
   * Messages from member 2 or 3 to node 1 that pass {@link Message#malformation()}, with small terms and
   * indexes: they reach the handlers, including ones no correct leader would send (entries conflicting
   * with committed ones, acknowledgements of entries never sent).
   */
  private static Arbitrary<Message> wellFormedMessages() {
    Arbitrary<Integer> peer = Arbitraries.integers().between(2, 3);
    Arbitrary<Long> term = Arbitraries.longs().between(0, 6);
    Arbitrary<Long> small = Arbitraries.longs().between(0, 7);
    Arbitrary<Message> requestVote = Combinators.combine(peer, term, small).flatAs((from, t, lastIndex) ->
        Arbitraries.longs().between(lastIndex == 0 ? 0 : 1, lastIndex == 0 ? 0 : Math.max(1, t))
            .filter(lastTerm -> lastTerm <= t)
            .map(lastTerm -> new RequestVoteRequest(from, 1, t, lastTerm, lastIndex)));
    Arbitrary<Message> voteResponse = Combinators.combine(peer, term, Arbitraries.of(true, false))
        .as((from, t, granted) -> new RequestVoteResponse(from, 1, t, granted));
    Arbitrary<Message> appendEntries = Combinators.combine(peer, Arbitraries.longs().between(1, 6), small, small)
        .flatAs((from, t, prevLogIndex, leaderCommit) ->
            Arbitraries.longs().between(prevLogIndex == 0 ? 0 : 1, prevLogIndex == 0 ? 0 : t)
                .flatMap(prevLogTerm -> Arbitraries.longs().between(Math.max(prevLogTerm, 1), t).list().ofMaxSize(4)
                    .map(terms -> terms.stream().sorted().map(et -> new LogEntry(et, new byte[] {1})).toList())
                    .map(entries -> new AppendEntriesRequest(from, 1, t, prevLogIndex, prevLogTerm, entries,
                        leaderCommit))));
    Arbitrary<Message> appendResponse = Combinators.combine(peer, term, Arbitraries.of(true, false), small, small,
        small).as((from, t, success, match, conflictTerm, conflictIndex) ->
            new AppendEntriesResponse(from, 1, t, success, match, conflictTerm, conflictIndex));
    return Arbitraries.oneOf(requestVote, voteResponse, appendEntries, appendResponse);
  }
}
