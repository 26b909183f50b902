package org.raftref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import org.raftref.runtime.FreePorts;
import org.raftref.runtime.ServerStatus;
import org.raftref.runtime.client.ClientProtocolException;
import org.raftref.runtime.client.ClusterUnavailableException;
import org.raftref.runtime.client.RaftClient;

/**
 * Three server JVMs started by {@code raftref cluster start}; clients write while the leader is killed with
 * SIGKILL ({@link ProcessHandle#destroyForcibly()}) and started again. Every write a client saw acknowledged
 * is there afterwards, read through the log. The servers trace, with their journals "in memory" in a directory
 * of the test's: the killed leader's journal outlives its process there, the restarted node's clock reads it
 * through the link, and {@code merge-traces} converts it and leaves nothing in memory. Waits are bounded by
 * generous timeouts that only guard hangs.
 */
class MultiProcessKillTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int WRITERS = 2;

  private Path clusterDir = Path.of("unused");

  @AfterEach
  void stopCluster() {
    if (Files.exists(clusterDir.resolve(ClusterLayout.FILE))) {
      Cli.run("cluster", "stop", "--dir", clusterDir.toString());
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesAKilledLeader(@TempDir Path dir) throws Exception {
    clusterDir = dir.resolve("cluster");
    int basePort = FreePorts.base(0, 1, 2, 1000, 1001, 1002); // peers, and clients 1000 above
    Path memory = Files.createDirectories(dir.resolve("memory"));
    Cli start = Cli.run("cluster", "start", "--dir", clusterDir.toString(), "--base-port", Integer.toString(basePort),
        "--election-ticks", "30", "--trace", "--trace-memory-dir", memory.toString(), "--trace-memory", "64m",
        "--java-option=-Xmx128m", "--java-option=-XX:+UseSerialGC", "--java-option=-XX:TieredStopAtLevel=1",
        "--wait", "90s");
    assertEquals(0, start.exit(), start.toString());
    ClusterLayout layout = ClusterLayout.read(clusterDir);
    Map<Integer, InetSocketAddress> clients = layout.clients().asMap();

    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    LinkedBlockingQueue<String> acks = new LinkedBlockingQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(CompletableFuture.runAsync(() -> write(writer, clients, stop, acknowledged, acks),
          r -> new Thread(r, "writer-" + writer).start()));
    }
    awaitAcks(acks, 20);
    int leader = leader(clients);
    ProcessHandle victim = ProcessHandle.of(ServerProcesses.readPid(layout.pidFile(leader))).orElseThrow();
    victim.destroyForcibly();
    victim.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Path killedJournal = layout.traceDir().resolve("node-" + leader + ".1.journal");
    assertTrue(Files.isSymbolicLink(killedJournal) && Files.exists(killedJournal),
        "the killed leader's journal is still in memory: " + killedJournal);
    awaitAcks(acks, 20); // a new leader took over
    Cli restart = Cli.run("cluster", "start", "--dir", clusterDir.toString(), "--node", Integer.toString(leader),
        "--java-option=-Xmx128m", "--java-option=-XX:+UseSerialGC", "--java-option=-XX:TieredStopAtLevel=1",
        "--wait", "90s");
    assertEquals(0, restart.exit(), restart.toString());
    awaitAcks(acks, 10);
    stop.set(true);
    for (CompletableFuture<Void> w : writers) {
      w.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    try (KvClient reader = new KvClient(new RaftClient(clients, Duration.ofSeconds(3)), 99)) {
      for (Map.Entry<String, String> write : acknowledged.entrySet()) {
        assertEquals(new KvResult.Value(write.getValue()), reader.execute(new KvCommand.Get(write.getKey()), WAIT),
            "acknowledged write " + write.getKey() + "=" + write.getValue());
      }
    }
    assertTrue(acknowledged.size() >= 50, "writes acknowledged: " + acknowledged.size());
    Cli stopped = Cli.run("cluster", "stop", "--dir", clusterDir.toString());
    assertEquals(0, stopped.exit(), stopped.toString());
    assertEquals(3, stopped.out().lines().filter(l -> l.startsWith("stopped node")).count(), stopped.out());

    Path merged = dir.resolve("merged.ndjson");
    Cli merge = Cli.run("merge-traces", layout.traceDir().toString(), "--out", merged.toString());
    assertEquals(0, merge.exit(), merge.toString());
    assertTrue(Files.exists(layout.traceDir().resolve("node-" + leader + ".2.ndjson")), "the restart's trace");
    assertTrue(Files.readAllLines(merged).size() > 100, "the merged trace has the run's events");
    try (Stream<Path> left = Files.list(memory)) {
      assertEquals(List.of(), left.toList(), "every journal in memory was converted and deleted");
    }
  }

  /** Puts fresh keys until told to stop; records each put the cluster acknowledged. */
  private static void write(int writer, Map<Integer, InetSocketAddress> clients, AtomicBoolean stop,
      Map<String, String> acknowledged, LinkedBlockingQueue<String> acks) {
    try (KvClient kv = new KvClient(new RaftClient(clients, Duration.ofSeconds(3)), 1000 + writer)) {
      for (int n = 0; !stop.get(); n++) {
        String key = "w" + writer + "-" + n;
        String value = "v" + n;
        try {
          if (kv.execute(new KvCommand.Put(key, value), Duration.ofSeconds(30)) instanceof KvResult.Ok) {
            acknowledged.put(key, value);
            acks.add(key);
          }
        } catch (ClusterUnavailableException e) {
          // not acknowledged: nothing is promised about this key
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("writer " + writer + " failed", e);
    }
  }

  private static void awaitAcks(LinkedBlockingQueue<String> acks, int count)
      throws InterruptedException, TimeoutException {
    for (int i = 0; i < count; i++) {
      if (acks.poll(WAIT.toSeconds(), TimeUnit.SECONDS) == null) {
        throw new TimeoutException("only " + i + " of " + count + " writes acknowledged within " + WAIT);
      }
    }
  }

  /** The node that reports itself leader; a bounded loop over the nodes' statuses. */
  private static int leader(Map<Integer, InetSocketAddress> clients) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (RaftClient client = new RaftClient(clients, Duration.ofSeconds(2))) {
      while (System.nanoTime() - deadline < 0) {
        for (int id : clients.keySet()) {
          try {
            ServerStatus status = client.status(id, Duration.ofSeconds(2));
            if (status.isLeader()) {
              return id;
            }
          } catch (IOException | ClientProtocolException e) {
            // not reachable now: ask the next
          }
        }
      }
    }
    throw new TimeoutException("no node reported itself leader within " + WAIT);
  }
}
