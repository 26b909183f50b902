package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.TraceSink;

/** Building single nodes in a given state, and reading what they put out. */
final class Nodes {

  static final List<Integer> THREE = List.of(1, 2, 3);
  static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);
  /** Election timeout of {@link #config}, in ticks. */
  static final int T = 10;

  private Nodes() {}

  /** Timeout T ticks, heartbeat every tick, 64 entries or 1 MiB per AppendEntries. */
  static RaftConfig config(int id, List<Integer> members) {
    return new RaftConfig(id, members, T, 1, 64, 1 << 20);
  }

  static byte[] bytes(String command) {
    return command.getBytes(StandardCharsets.UTF_8);
  }

  static LogEntry entry(long term, String command) {
    return new LogEntry(term, bytes(command));
  }

  /** An entry of {@code term} whose command names its term and its index, so that entries differ. */
  static LogEntry entryAt(long index, long term) {
    return entry(term, "i" + index + "t" + term);
  }

  /** A log holding one entry of each term given, entry 1 first. */
  static List<LogEntry> log(long... terms) {
    List<LogEntry> log = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      log.add(entryAt(i + 1, terms[i]));
    }
    return log;
  }

  /** Node 1 of {@code config}'s cluster restored from the given durable state, with a seeded generator. */
  static RaftNode restored(RaftConfig config, long term, int votedFor, List<LogEntry> log, TraceSink sink) {
    return restored(config, term, votedFor, log, new SplittableRandom(config.id()), sink);
  }

  static RaftNode restored(RaftConfig config, long term, int votedFor, List<LogEntry> log,
      RandomGenerator random, TraceSink sink) {
    return RaftNode.restart(config, new DurableState(new HardState(term, votedFor), log), random, sink);
  }

  /** Takes the node's Ready and acknowledges it, as a driver does after persisting it. */
  static Ready persist(RaftNode node) {
    Ready ready = node.ready();
    node.advance(ready);
    return ready;
  }

  /** Ticks until the node starts an election (at most 2T ticks for the default timeout range). */
  static void timeOut(RaftNode node) {
    long term = node.currentTerm();
    int limit = 2 * node.config().electionTimeoutTicks();
    for (int i = 0; i < limit && node.currentTerm() == term; i++) {
      node.tick();
    }
    assertEquals(term + 1, node.currentTerm(), "no election within " + limit + " ticks");
  }

  /**
   * Makes {@code node} (a follower) the leader of the next term: it times out, persists, and receives granted
   * votes from the other members in ascending order until it wins. The Ready is drained afterwards.
   */
  static RaftNode elect(RaftNode node) {
    timeOut(node);
    persist(node);
    for (int peer : node.members()) {
      if (node.role() == Role.Leader) {
        break;
      }
      if (peer != node.id()) {
        node.step(new RequestVoteResponse(peer, node.id(), node.currentTerm(), true));
      }
    }
    assertEquals(Role.Leader, node.role());
    persist(node);
    return node;
  }

  /** The messages of type {@code type} in {@code ready}, in order. */
  static <T extends Message> List<T> messages(Ready ready, Class<T> type) {
    return ready.messages().stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The one message of type {@code type} sent to {@code to} in {@code ready}. */
  static <T extends Message> T messageTo(Ready ready, Class<T> type, int to) {
    List<T> matching = messages(ready, type).stream().filter(m -> m.to() == to).toList();
    assertEquals(1, matching.size(), "expected one " + type.getSimpleName() + " to " + to + " in " + ready);
    return matching.get(0);
  }

  /** The node's log as a list, entry 1 first. */
  static List<LogEntry> logOf(RaftNode node) {
    List<LogEntry> log = new ArrayList<>();
    for (long i = 1; i <= node.lastLogIndex(); i++) {
      log.add(node.logEntry(i));
    }
    return log;
  }

  /** The terms of the node's log, entry 1 first. */
  static List<Long> termsOf(RaftNode node) {
    return logOf(node).stream().map(LogEntry::term).toList();
  }

  static void assertNoop(LogEntry entry, long term) {
    assertEquals(term, entry.term());
    assertTrue(entry.command().length == 0, "a no-op entry has an empty command");
  }
}
