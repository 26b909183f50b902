package org.raftref.tracecheck.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.cli.KvClient;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import org.raftref.runtime.LocalCluster;
import org.raftref.runtime.client.RaftClient;
import org.raftref.runtime.trace.JournalMemory;
import org.raftref.runtime.trace.LamportMerge;
import org.raftref.runtime.trace.TraceFiles;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.validate.TlcProcess;
import org.raftref.tracecheck.validate.TraceValidator;

/**
 * The real runtime obeys the spec too: three {@code RaftServer}s over loopback TCP with fsync'd files, the
 * leader crashed and restarted mid-run, write one trace per incarnation; merged by their Lamport clocks, the
 * trace replays through spec/TraceRaft.tla with TLC, every event one action. Their journals are kept "in
 * memory" (a directory of the test's) with a limit of one page, so that each continues on the disk soon after
 * it starts, and the conversions read both parts, the crashed incarnation's too.
 */
class RuntimeTraceValidationTest {

  private static final Path SPEC_DIR = Path.of(System.getProperty("raftref.specDir", "../spec"));
  private static final Path WORK_ROOT =
      Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("runtime");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aRealRunWithACrashAndARestartValidatesAgainstTheSpec(@TempDir Path dir) throws Exception {
    Path traces = dir.resolve("traces");
    Path memory = Files.createDirectories(dir.resolve("memory"));
    try (LocalCluster cluster = new LocalCluster(dir, traces, 3, Duration.ofMillis(10), 20, 11)
            .journalsIn(new JournalMemory(memory, JournalMemory.MIN_LIMIT_BYTES));
        KvClient client = new KvClient(new RaftClient(cluster.clientAddresses(), Duration.ofSeconds(2)), 1)) {
      cluster.startAll();
      for (int id = 1; id <= 3; id++) {
        assertTrue(Files.isSymbolicLink(TraceFiles.journalFile(traces, id, 1)), "node " + id + " links its journal");
      }
      int crashed = cluster.awaitLeader(WAIT);
      put(client, 0, 60);
      assertTrue(Files.exists(TraceFiles.incarnation(traces, crashed, 1).continuation()),
          "the leader's journal went past its memory");
      cluster.crash(crashed);
      put(client, 60, 80);
      cluster.start(crashed);
      int leader = cluster.awaitLeader(WAIT);
      long commit = cluster.server(leader).status().commitIndex();
      cluster.server(crashed).awaitStatus(s -> s.appliedIndex() >= commit, WAIT);
    }
    Path merged = dir.resolve("merged.ndjson");
    LamportMerge.Result result = LamportMerge.merge(traces, merged);
    try (Stream<Path> left = Files.list(memory)) {
      assertEquals(List.of(), left.toList(), "the conversions deleted the journals' files in memory");
    }
    try (Stream<Path> left = Files.list(traces)) {
      assertEquals(List.of(), left.filter(f -> f.toString().contains("journal")).toList(), "and the rest");
    }
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
