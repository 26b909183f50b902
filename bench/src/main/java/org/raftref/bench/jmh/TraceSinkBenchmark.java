package org.raftref.bench.jmh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;

/**
 * What the trace costs the core in CPU: a leader proposing batches of 64 100-byte commands
 * ({@code proposeAll}: 64 ClientRequest events and one AppendEntries event per follower carrying all 64), with
 * tracing off ({@code off}); with an {@link NdjsonSink} that writes to a stream discarding its bytes
 * ({@code ndjson}: no I/O, only the serialization and the digests); and with the runtime's
 * {@link TraceOutput} ({@code journal}: binary records into a memory-mapped file in a temporary directory,
 * page faults included; the conversion to ndjson at close is not timed). The difference per command is the
 * trace's CPU per command on the leader.
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

    @Param({"off", "ndjson", "journal"})
    String trace;

    TraceSink sink;
    TraceOutput journal;
    Path journalDir;
    RaftNode node;
    final List<byte[]> batch = new java.util.ArrayList<>();

    @Setup(Level.Trial)
    public void start() throws IOException {
      journalDir = Files.createTempDirectory("raftref-trace-bench");
      sink = newSink();
      node = RaftNodeStepBenchmark.electedLeader(sink);
      for (int i = 0; i < BATCH; i++) {
        batch.add(RaftNodeStepBenchmark.command(i));
      }
    }

    private TraceSink newSink() throws IOException {
      switch (trace) {
        case "off":
          return TraceSink.NONE;
        case "ndjson":
          return new NdjsonSink(OutputStream.nullOutputStream(), "discarded",
              new TraceHeader(RaftNodeStepBenchmark.MEMBERS, 64, "TraceSinkBenchmark"));
        case "journal":
          journal = TraceOutput.open(journalDir, RaftNodeStepBenchmark.LEADER, RaftNodeStepBenchmark.MEMBERS, 64);
          return journal.sink();
        default:
          throw new IllegalArgumentException("trace must be off, ndjson or journal, was " + trace);
      }
    }

    /** A fresh leader (and a fresh journal: the old one is converted and deleted, untimed) now and then. */
    @Setup(Level.Invocation)
    public void replaceLongLog() throws IOException {
      if (node.lastLogIndex() > RaftNodeStepBenchmark.MAX_LOG_ENTRIES) {
        closeJournal();
        sink = newSink();
        node = RaftNodeStepBenchmark.electedLeader(sink);
      }
    }

    @TearDown(Level.Trial)
    public void end() throws IOException {
      closeJournal();
      Files.delete(journalDir);
    }

    private void closeJournal() throws IOException {
      if (journal != null) {
        journal.close();
        journal = null;
      }
      try (java.util.stream.Stream<Path> files = Files.list(journalDir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
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
