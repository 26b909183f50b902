package org.raftref.tracecheck.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.cli.KvClient;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import org.raftref.runtime.LocalCluster;
import org.raftref.runtime.client.RaftClient;
import org.raftref.runtime.trace.LamportMerge;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.validate.TlcProcess;
import org.raftref.tracecheck.validate.TraceValidator;

/**
 * The real runtime obeys the spec too: three {@code RaftServer}s over loopback TCP with fsync'd files, the
 * leader crashed and restarted mid-run, write one trace per incarnation; merged by their Lamport clocks, the
 * trace replays through spec/TraceRaft.tla with TLC, every event one action.
 */
class RuntimeTraceValidationTest {

  private static final Path SPEC_DIR = Path.of(System.getProperty("raftref.specDir", "../spec"));
  private static final Path WORK_ROOT =
      Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("runtime");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aRealRunWithACrashAndARestartValidatesAgainstTheSpec(@TempDir Path dir) throws Exception {
    Path traces = dir.resolve("traces");
    try (LocalCluster cluster = new LocalCluster(dir, traces, 3, Duration.ofMillis(10), 20, 11);
        KvClient client = new KvClient(new RaftClient(cluster.clientAddresses(), Duration.ofSeconds(2)), 1)) {
      cluster.startAll();
      int crashed = cluster.awaitLeader(WAIT);
      put(client, 0, 10);
      cluster.crash(crashed);
      put(client, 10, 20);
      cluster.start(crashed);
      int leader = cluster.awaitLeader(WAIT);
      long commit = cluster.server(leader).status().commitIndex();
      cluster.server(crashed).awaitStatus(s -> s.appliedIndex() >= commit, WAIT);
    }
    Path merged = dir.resolve("merged.ndjson");
    LamportMerge.Result result = LamportMerge.merge(traces, merged);
    assertEquals(List.of(), result.notes(), "the servers closed their traces: nothing was cut off");

    Outcome outcome = validate(merged);
    Outcome.Valid valid = assertInstanceOf(Outcome.Valid.class, outcome, outcome.report());
    assertEquals(result.events(), valid.events());
    assertEquals(result.events() + 1, valid.depth());
  }

  private static Outcome validate(Path trace) throws TraceInputException {
    return new TraceValidator(SPEC_DIR, WORK_ROOT, TraceValidator.Input.OVERRIDE, TlcProcess.forked("512m"))
        .validate(List.of(trace));
  }

  private static void put(KvClient client, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      assertEquals(KvResult.OK, client.execute(new KvCommand.Put("k" + i, "v" + i), WAIT));
    }
  }
}
