package org.raftref.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.cli.KvClient;
import org.raftref.runtime.LocalCluster;
import org.raftref.runtime.client.ClusterUnavailableException;
import org.raftref.runtime.client.RaftClient;

/**
 * A real-TCP run checked for linearizability: three servers in this JVM (loopback TCP, files on disk),
 * concurrent clients on three keys, and the leader crashes and restarts in the middle. The recorded history,
 * with wall-clock (nanoTime) invocation and response times, must be linearizable.
 *
 * <p>Threads make the interleaving differ from run to run; the seed fixes the clients' operations only.
 * Replay the operations of a failing run with -Draftref.tcpSeed=SEED.
 */
class TcpLinearizabilityTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CLIENTS = 4;
  private static final int OPERATIONS_PER_CLIENT = 40;

  @Test
  void concurrentClientsAcrossALeaderCrashSeeALinearizableStore(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("raftref.tcpSeed", 20261127L);
    String context = "seed " + seed + " (replay the operations: mvn -pl impl test -Dtest=TcpLinearizabilityTest"
        + " -Draftref.tcpSeed=" + seed + ")\n";
    History history = new History();
    LinkedBlockingQueue<Integer> done = new LinkedBlockingQueue<>();
    try (LocalCluster cluster = new LocalCluster(dir, null, 3, Duration.ofMillis(10), 20, seed)) {
      cluster.startAll();
      cluster.awaitLeader(WAIT);
      List<CompletableFuture<Void>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        SplittableRandom random = new SplittableRandom(seed * 101 + c);
        clients.add(CompletableFuture.runAsync(() -> run(client, random, cluster, history, done),
            runnable -> new Thread(runnable, "client-" + client).start()));
      }
      int total = CLIENTS * OPERATIONS_PER_CLIENT;
      awaitOperations(done, total / 3);
      int leader = cluster.awaitLeader(WAIT);
      cluster.crash(leader);
      awaitOperations(done, total / 3);
      cluster.start(leader);
      for (CompletableFuture<Void> client : clients) {
        client.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
    CheckResult result;
    synchronized (history) {
      result = new LinearizabilityChecker(5_000_000).check(history);
    }
    assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), context + result.describe());
    assertTrue(result.keys().size() == 3, context + result.describe());
  }

  private static void awaitOperations(LinkedBlockingQueue<Integer> done, int count)
      throws InterruptedException, TimeoutException {
    for (int i = 0; i < count; i++) {
      if (done.poll(WAIT.toSeconds(), TimeUnit.SECONDS) == null) {
        throw new TimeoutException("clients finished only " + i + " of " + count + " operations in " + WAIT);
      }
    }
  }

  /** One client: its operations one at a time, each recorded as invoked before it is sent. */
  private static void run(int client, SplittableRandom random, LocalCluster cluster, History history,
      LinkedBlockingQueue<Integer> done) {
    try (KvClient kv = new KvClient(new RaftClient(cluster.clientAddresses(), Duration.ofSeconds(2)),
        random.nextLong())) {
      for (int n = 1; n <= OPERATIONS_PER_CLIENT; n++) {
        KvCommand command = command(random, "c" + client + "." + n);
        int id;
        synchronized (history) {
          id = history.invoke(client, command, System.nanoTime(), "client " + client + " op " + n);
        }
        try {
          KvResult result = kv.execute(command, Duration.ofSeconds(20));
          long now = System.nanoTime();
          synchronized (history) {
            history.respond(id, result, now);
          }
        } catch (ClusterUnavailableException e) {
          // No answer: the operation stays pending (it may still take effect); the client moves on.
        }
        done.add(id);
      }
    } catch (Exception e) {
      throw new IllegalStateException("client " + client + " failed", e);
    }
  }

  private static KvCommand command(SplittableRandom random, String token) {
    String key = "k" + random.nextInt(3);
    int dice = random.nextInt(100);
    if (dice < 40) {
      return new KvCommand.Get(key);
    } else if (dice < 60) {
      return new KvCommand.Put(key, token);
    } else if (dice < 95) {
      return new KvCommand.Append(key, token + ";");
    }
    return new KvCommand.Delete(key);
  }
}
