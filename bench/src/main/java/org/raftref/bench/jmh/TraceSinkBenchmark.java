package org.raftref.bench.jmh;

import java.io.OutputStream;
import java.util.List;
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
import org.raftref.core.RaftNode;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;

/**
 * What the ndjson trace costs the core in CPU: a leader proposing batches of 64 100-byte commands
 * ({@code proposeAll}: 64 ClientRequest events and one AppendEntries event per follower carrying all 64), with
 * tracing off and with an {@link NdjsonSink} that writes to a stream discarding its bytes (no I/O: only the
 * serialization and the digests). The difference per command is the sink's CPU per command on the leader.
 *
 * <p>Unit: ops/s; one op is one command (a 64th of a batch and of its ready/advance round).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TraceSinkBenchmark {

  static final int BATCH = 64;

  /** The leader, traced or not, and a batch of commands. */
  @State(Scope.Thread)
  public static class TracedLeader {

    @Param({"off", "ndjson"})
    String trace;

    NdjsonSink sink;
    RaftNode node;
    final List<byte[]> batch = new java.util.ArrayList<>();

    @Setup(Level.Trial)
    public void start() {
      sink = trace.equals("off") ? null : new NdjsonSink(OutputStream.nullOutputStream(), "discarded",
          new TraceHeader(RaftNodeStepBenchmark.MEMBERS, 64, "TraceSinkBenchmark"));
      node = RaftNodeStepBenchmark.electedLeader(sink == null ? TraceSink.NONE : sink);
      for (int i = 0; i < BATCH; i++) {
        batch.add(RaftNodeStepBenchmark.command(i));
      }
    }

    @Setup(Level.Invocation)
    public void replaceLongLog() {
      if (node.lastLogIndex() > RaftNodeStepBenchmark.MAX_LOG_ENTRIES) {
        node = RaftNodeStepBenchmark.electedLeader(sink == null ? TraceSink.NONE : sink);
      }
    }

    /** Untimed: both followers acknowledge the batch; the leader commits and applies it. */
    @TearDown(Level.Invocation)
    public void followersAcknowledge() {
      long last = node.lastLogIndex();
      node.step(RaftNodeStepBenchmark.success(RaftNodeStepBenchmark.FOLLOWER, node.currentTerm(), last));
      node.step(RaftNodeStepBenchmark.success(RaftNodeStepBenchmark.OTHER_FOLLOWER, node.currentTerm(), last));
      while (node.hasReady()) {
        node.advance(node.ready());
      }
    }
  }

  /** One batch of 64 commands proposed in one step, and its Ready. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void leaderProposesABatch(TracedLeader state, Blackhole blackhole) {
    blackhole.consume(state.node.proposeAll(state.batch));
    RaftNodeStepBenchmark.drain(state.node, blackhole);
  }
}
