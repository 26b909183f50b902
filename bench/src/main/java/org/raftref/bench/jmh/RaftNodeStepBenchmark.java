package org.raftref.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.raftref.core.RaftConfig;
import org.raftref.core.RaftNode;
import org.raftref.core.Ready;
import org.raftref.core.Role;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.TraceSink;

/**
 * Messages per second through {@link RaftNode#step} with no I/O: the cost of the core alone, as a driver
 * sees it. After every input the benchmark drains the node as a driver would ({@code ready()}, then
 * {@code advance(ready)}, until {@code hasReady()} is false) and hands each {@link Ready} to a
 * {@link Blackhole} instead of persisting, sending and applying it. Tracing is off ({@link TraceSink#NONE}).
 *
 * <p>Unit: ops/s. One op is one input (a message stepped, or a command proposed) together with the
 * ready/advance round that follows it.
 *
 * <p>Every scenario is a 3-node cluster {1, 2, 3} with node 1 leading, and commands of 100 bytes. To keep
 * the log from growing without bound, each invocation is a batch of inputs
 * ({@link OperationsPerInvocation}), and the untimed per-invocation helpers prepare the next batch and,
 * every {@value #MAX_LOG_ENTRIES} entries, start the node over. A batch takes tens of microseconds, so the
 * timestamps JMH takes around each invocation cost well under one percent.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RaftNodeStepBenchmark {

  static final int LEADER = 1;
  static final int FOLLOWER = 2;
  static final int OTHER_FOLLOWER = 3;
  static final List<Integer> MEMBERS = List.of(LEADER, FOLLOWER, OTHER_FOLLOWER);
  static final int COMMAND_BYTES = 100;
  /** A node whose log passed this many entries is replaced by a fresh one between invocations. */
  static final long MAX_LOG_ENTRIES = 1 << 16;

  static final int FOLLOWER_MESSAGES_PER_INVOCATION = 64;
  static final int ACKED_ENTRIES_PER_INVOCATION = 32;
  /** Each entry is acknowledged by both followers. */
  static final int ACKS_PER_INVOCATION = 2 * ACKED_ENTRIES_PER_INVOCATION;
  static final int PROPOSALS_PER_INVOCATION = 16;

  /**
   * Follower 2 receiving AppendEntriesRequests from leader 1 in term 1, each carrying
   * {@code entriesPerMessage} new entries right after the follower's last one, and committing everything
   * the previous request carried (leaderCommit = prevLogIndex), so that every Ready also applies entries.
   */
  @State(Scope.Thread)
  public static class Follower {

    @Param({"1", "64"})
    int entriesPerMessage;

    private List<LogEntry> entries = List.of();
    RaftNode node = newFollower();
    final AppendEntriesRequest[] batch = new AppendEntriesRequest[FOLLOWER_MESSAGES_PER_INVOCATION];

    @Setup(Level.Trial)
    public void makeEntries() {
      List<LogEntry> list = new ArrayList<>();
      for (int i = 0; i < entriesPerMessage; i++) {
        list.add(new LogEntry(1, command(i)));
      }
      entries = List.copyOf(list);
    }

    /** Untimed: the next batch of requests, each one following on from the one before. */
    @Setup(Level.Invocation)
    public void nextBatch() {
      if (node.lastLogIndex() > MAX_LOG_ENTRIES) {
        node = newFollower();
      }
      long prevLogIndex = node.lastLogIndex();
      for (int i = 0; i < batch.length; i++) {
        batch[i] = new AppendEntriesRequest(LEADER, FOLLOWER, 1, prevLogIndex, prevLogIndex == 0 ? 0 : 1,
            entries, prevLogIndex);
        prevLogIndex += entries.size();
      }
    }

    private static RaftNode newFollower() {
      return RaftNode.start(RaftConfig.of(FOLLOWER, MEMBERS), new SplittableRandom(FOLLOWER), TraceSink.NONE);
    }
  }

  /**
   * Leader 1 with {@value #ACKED_ENTRIES_PER_INVOCATION} proposed, durable, unacknowledged entries at the
   * start of each invocation (proposed untimed); the invocation steps one success AppendEntriesResponse per
   * entry from each follower, in index order. Follower 2's ack commits the entry (with the leader's own
   * durable copy it is a quorum), so its Ready applies one entry; follower 3's ack only raises matchIndex.
   */
  @State(Scope.Thread)
  public static class LeaderReceivingAcks {

    RaftNode node = electedLeader();
    final AppendEntriesResponse[] acks = new AppendEntriesResponse[ACKS_PER_INVOCATION];

    /** Untimed: propose the entries this invocation's acks acknowledge, and make them durable. */
    @Setup(Level.Invocation)
    public void proposeNextEntries() {
      if (node.lastLogIndex() > MAX_LOG_ENTRIES) {
        node = electedLeader();
      }
      long term = node.currentTerm();
      long first = node.lastLogIndex() + 1;
      for (int i = 0; i < ACKED_ENTRIES_PER_INVOCATION; i++) {
        node.propose(command(i));
      }
      drainUntimed(node);
      for (int i = 0; i < ACKED_ENTRIES_PER_INVOCATION; i++) {
        acks[2 * i] = success(FOLLOWER, term, first + i);
        acks[2 * i + 1] = success(OTHER_FOLLOWER, term, first + i);
      }
    }
  }

  /**
   * Leader 1 proposing {@value #PROPOSALS_PER_INVOCATION} commands per invocation, one {@code propose} each,
   * none acknowledged until the invocation ends, as with a loaded leader before the first replies return.
   * The followers' acks for the whole batch are stepped untimed afterwards, so the next batch starts with
   * everything committed.
   */
  @State(Scope.Thread)
  public static class LeaderProposing {

    RaftNode node = electedLeader();
    byte[] command = command(0);

    @Setup(Level.Invocation)
    public void replaceLongLog() {
      if (node.lastLogIndex() > MAX_LOG_ENTRIES) {
        node = electedLeader();
      }
    }

    /** Untimed: both followers acknowledge everything; the leader commits and applies it. */
    @TearDown(Level.Invocation)
    public void followersAcknowledge() {
      long last = node.lastLogIndex();
      node.step(success(FOLLOWER, node.currentTerm(), last));
      drainUntimed(node);
      node.step(success(OTHER_FOLLOWER, node.currentTerm(), last));
      drainUntimed(node);
    }
  }

  /** (a) A follower appending the entries of one AppendEntriesRequest, and the Ready that follows. */
  @Benchmark
  @OperationsPerInvocation(FOLLOWER_MESSAGES_PER_INVOCATION)
  public void followerHandlesAppendEntriesRequest(Follower state, Blackhole blackhole) {
    RaftNode node = state.node;
    for (AppendEntriesRequest request : state.batch) {
      node.step(request);
      drain(node, blackhole);
    }
  }

  /** (b) A leader handling one success AppendEntriesResponse, and the Ready that follows, if any. */
  @Benchmark
  @OperationsPerInvocation(ACKS_PER_INVOCATION)
  public void leaderHandlesAppendEntriesResponse(LeaderReceivingAcks state, Blackhole blackhole) {
    RaftNode node = state.node;
    for (AppendEntriesResponse ack : state.acks) {
      node.step(ack);
      drain(node, blackhole);
    }
  }

  /** (c) A leader proposing one 100-byte command, and the Ready that follows (two AppendEntriesRequests). */
  @Benchmark
  @OperationsPerInvocation(PROPOSALS_PER_INVOCATION)
  public void leaderProposes(LeaderProposing state, Blackhole blackhole) {
    RaftNode node = state.node;
    for (int i = 0; i < PROPOSALS_PER_INVOCATION; i++) {
      blackhole.consume(node.propose(state.command));
      drain(node, blackhole);
    }
  }

  /** What a driver does after each input, minus the I/O: take every Ready and acknowledge it. */
  static void drain(RaftNode node, Blackhole blackhole) {
    while (node.hasReady()) {
      Ready ready = node.ready();
      node.advance(ready);
      blackhole.consume(ready);
    }
  }

  private static void drainUntimed(RaftNode node) {
    while (node.hasReady()) {
      node.advance(node.ready());
    }
  }

  /**
   * Node 1 as leader of a fresh 3-node cluster, its no-op entry committed: it times out, its vote is made
   * durable, node 2 grants its vote, and both followers acknowledge the no-op.
   */
  static RaftNode electedLeader() {
    return electedLeader(TraceSink.NONE);
  }

  /** As {@link #electedLeader()}, with its steps reported to {@code trace}. */
  static RaftNode electedLeader(TraceSink trace) {
    RaftNode node = RaftNode.start(RaftConfig.of(LEADER, MEMBERS), new SplittableRandom(LEADER), trace);
    while (node.role() != Role.Candidate) {
      node.tick();
    }
    drainUntimed(node);
    node.step(new RequestVoteResponse(FOLLOWER, LEADER, node.currentTerm(), true));
    drainUntimed(node);
    if (node.role() != Role.Leader) {
      throw new IllegalStateException("node " + LEADER + " did not become leader: " + node.roleName());
    }
    node.step(success(FOLLOWER, node.currentTerm(), node.lastLogIndex()));
    node.step(success(OTHER_FOLLOWER, node.currentTerm(), node.lastLogIndex()));
    drainUntimed(node);
    return node;
  }

  static AppendEntriesResponse success(int from, long term, long matchIndex) {
    return new AppendEntriesResponse(from, LEADER, term, true, matchIndex, 0, 0);
  }

  /** A 100-byte command whose bytes depend on {@code seed}, so that no two benchmarks share a constant. */
  static byte[] command(int seed) {
    byte[] command = new byte[COMMAND_BYTES];
    new SplittableRandom(seed).nextBytes(command);
    return command;
  }
}
