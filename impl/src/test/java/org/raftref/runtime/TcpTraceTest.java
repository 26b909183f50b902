package org.raftref.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.cli.KvClient;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import org.raftref.runtime.client.RaftClient;
import org.raftref.runtime.trace.LamportMerge;
import org.raftref.runtime.trace.TraceFiles;

/**
 * Three real servers in this JVM (loopback TCP, files in a temporary directory) write one trace per
 * incarnation; the leader crashes and restarts. The traces, merged by Lamport time, form one well-formed,
 * causally ordered trace (checked by {@link TraceShape}; TLC validation of such traces is trace-check's). The
 * merged trace is kept in target/runtime-traces for trace-check.
 */
class TcpTraceTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void tracesOfARunWithACrashAndARestartMergeIntoOneCausalTrace(@TempDir Path dir) throws Exception {
    Path traces = dir.resolve("traces");
    int crashed;
    try (LocalCluster cluster = new LocalCluster(dir, traces, 3, Duration.ofMillis(10), 20, 7);
        KvClient client = new KvClient(new RaftClient(cluster.clientAddresses(), Duration.ofSeconds(2)), 1)) {
      cluster.startAll();
      crashed = cluster.awaitLeader(WAIT);
      put(client, 0, 10);
      cluster.crash(crashed);
      put(client, 10, 20);
      cluster.start(crashed);
      int leader = cluster.awaitLeader(WAIT);
      long commit = cluster.server(leader).status().commitIndex();
      cluster.server(crashed).awaitStatus(s -> s.appliedIndex() >= commit, WAIT);
      put(client, 20, 25);
      assertEquals(new KvResult.Value("v24"), client.execute(new KvCommand.Get("k24"), WAIT));
    }
    List<TraceFiles.Incarnation> files = TraceFiles.list(traces);
    assertEquals(4, files.size(), "three first incarnations and the restarted one: " + files);
    Path merged = Files.createDirectories(Path.of("target", "runtime-traces")).resolve("tcp-crash-restart.ndjson");
    LamportMerge.Result result = LamportMerge.merge(traces, merged);
    assertEquals(List.of(), result.notes(), "nothing cut off: the servers closed their traces");
    TraceShape.Summary summary = TraceShape.check(merged);
    assertEquals(result.events(), summary.events());
    assertEquals(Map.of(crashed, 1), summary.restarts());
    for (String action : List.of("Timeout", "BecomeLeader", "ClientRequest", "AppendEntries",
        "HandleAppendEntriesRequest", "HandleAppendEntriesResponse", "AdvanceCommitIndex", "Persist")) {
      assertTrue(summary.actions().getOrDefault(action, 0) > 0, action + " occurs: " + summary.actions());
    }
  }

  private static void put(KvClient client, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      assertEquals(KvResult.OK, client.execute(new KvCommand.Put("k" + i, "v" + i), WAIT));
    }
  }
}
