package org.raftref.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.raftref.cli.KvClient;
import org.raftref.kv.KvCommand;
import org.raftref.runtime.client.RaftClient;

/**
 * A measurement, not a test: three real servers in this JVM (loopback TCP, files with fsync in DIR), CLIENTS
 * threads each putting fresh keys through the client protocol for SECONDS seconds, one request at a time.
 * Prints operations per second, latency percentiles, and how many entries one leader fsync covered (group
 * commit). Numbers are in docs/runtime.md.
 *
 * <pre>
 * java -cp "$(cat impl/target/test.classpath)" org.raftref.runtime.RuntimeThroughput DIR CLIENTS SECONDS
 * </pre>
 */
public final class RuntimeThroughput {

  private RuntimeThroughput() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: RuntimeThroughput DIR CLIENTS SECONDS");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    int clients = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    try (LocalCluster cluster = new LocalCluster(Files.createTempDirectory(dir, "run"), null, 3,
        Duration.ofMillis(10), 20, 1)) {
      cluster.startAll();
      int leader = cluster.awaitLeader(Duration.ofSeconds(60));
      // Warm up (JIT, connections), then measure.
      runClients(cluster, clients, System.nanoTime() + 2_000_000_000L, new ArrayList<>());
      ServerStatus before = cluster.server(leader).status();
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      long start = System.nanoTime();
      runClients(cluster, clients, start + seconds * 1_000_000_000L, latencies);
      double elapsed = (System.nanoTime() - start) / 1e9;
      ServerStatus after = cluster.server(leader).status();
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      long entries = after.appliedIndex() - before.appliedIndex();
      long syncs = after.syncs() - before.syncs();
      System.out.printf("clients %d, %.1f s: %d puts, %.0f puts/s; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
              + " leader: %d entries in %d fsyncs (%.1f entries per fsync)%n",
          clients, elapsed, sorted.size(), sorted.size() / elapsed, percentile(sorted, 0.50),
          percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6, entries, syncs,
          syncs == 0 ? 0.0 : (double) entries / syncs);
    }
  }

  private static void runClients(LocalCluster cluster, int clients, long until, List<Long> latencies)
      throws Exception {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      running.add(CompletableFuture.runAsync(() -> {
        try (KvClient kv = new KvClient(new RaftClient(cluster.clientAddresses(), Duration.ofSeconds(5)),
            client * 7919L + until)) {
          for (int n = 0; System.nanoTime() < until; n++) {
            long t0 = System.nanoTime();
            kv.execute(new KvCommand.Put("c" + client + "-" + n, "value-" + n), Duration.ofSeconds(30));
            latencies.add(System.nanoTime() - t0);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, r -> new Thread(r, "bench-client-" + client).start()));
    }
    for (CompletableFuture<Void> c : running) {
      c.get();
    }
  }

  private static double percentile(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
  }
}
