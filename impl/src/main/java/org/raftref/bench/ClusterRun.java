package org.raftref.bench;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.raftref.runtime.client.PipelinedRaftClient;

/**
 * One repetition of the benchmark, with peerbench's phases and definitions: start three node JVMs (fresh data
 * directories), wait until all are READY, send GO at t0, then
 * <ol>
 *   <li>(c) cold start: the first LEADER report minus t0; and the client's first committed write minus t0
 *       (the client starts writing at t0);</li>
 *   <li>warm-up: a closed loop with {@code concurrency} writes outstanding for {@code warmupSeconds}, then
 *       {@code seqWarmup} sequential writes;</li>
 *   <li>(a) sequential writes, one outstanding: {@code seq} writes, stopped after {@code seqMaxSeconds};
 *       latency percentiles and writes per second;</li>
 *   <li>(b) closed loop, {@code concurrency} outstanding for {@code tputSeconds}: only writes completed inside
 *       the window count; writes per second, latency p50 and p99;</li>
 *   <li>(d) SIGKILL the leader at tk: the first LEADER report of another node in a higher term minus tk; and the
 *       client's next committed write minus tk (the client starts writing at tk).</li>
 * </ol>
 * Each phase also records how busy the host's CPUs were, and how much of that was other work than the
 * benchmark's (see {@link HostCpu}). All times are {@link System#nanoTime()}, the same
 * clock in every JVM of the host (see {@link NodeLine}).
 */
final class ClusterRun {

  private static final long STARTUP_MILLIS = 60_000;
  private static final long FAILOVER_MILLIS = 20_000;
  private static final long STATS_MILLIS = 10_000;
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  /** Latency samples kept per closed-loop phase; more completions still count, their latency is dropped. */
  private static final int MAX_SAMPLES = 1 << 21;

  private final BenchSettings settings;
  private final BenchResults results;
  private final PrintWriter out;
  private final byte[] payload;

  ClusterRun(BenchSettings settings, BenchResults results, PrintWriter out) {
    this.settings = settings;
    this.results = results;
    this.out = out;
    this.payload = new byte[settings.payload()];
    new Random(42).nextBytes(payload);
  }

  /**
   * Runs repetition {@code rep} of {@code suite} on the node JVMs {@code commands} start (node id to command
   * line), whose clients listen on {@code clientPorts}; node logs go to {@code logs}.
   */
  void run(String suite, int rep, Map<Integer, List<String>> commands, Map<Integer, Integer> clientPorts,
      Map<Integer, Path> logs) throws BenchFailure, InterruptedException, java.io.IOException {
    Map<Integer, InetSocketAddress> clients = new TreeMap<>();
    clientPorts.forEach((id, port) -> clients.put(id, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    try (NodeProcesses nodes = NodeProcesses.start(commands, logs);
        PipelinedRaftClient client = new PipelinedRaftClient(clients, COMMAND_TIMEOUT)) {
      for (int id : commands.keySet()) {
        nodes.await("READY from node " + id, e -> e.node() == id && e.type().equals(NodeLine.READY),
            STARTUP_MILLIS);
      }
      coldStart(suite, rep, nodes, client);
      closedLoop(suite, client, settings.warmupSeconds(), "warm-up");
      sequential(client, settings.seqWarmup(), Double.POSITIVE_INFINITY);
      sequentialPhase(suite, rep, client);
      throughputPhase(suite, rep, nodes, client);
      failover(suite, rep, nodes, client);
    }
  }

  private void coldStart(String suite, int rep, NodeProcesses nodes, PipelinedRaftClient client)
      throws BenchFailure, InterruptedException {
    HostCpu cpu = HostCpu.start();
    long t0 = System.nanoTime();
    nodes.go();
    CompletableFuture<Long> firstCommit = client.write(payload).thenApply(result -> System.nanoTime());
    NodeProcesses.Event leader = nodes.await("a LEADER report", e -> e.type().equals(NodeLine.LEADER),
        STARTUP_MILLIS);
    results.record(suite, "c_cold_election_ms", rep, (leader.values()[0] - t0) / 1e6, "ms");
    long committed = await(firstCommit, "the first write after GO");
    results.record(suite, "c_cold_first_commit_client_ms", rep, (committed - t0) / 1e6, "ms");
    results.record(suite, "c_host_busy_pct", rep, cpu.busyPercent(), "%");
    results.record(suite, "c_host_foreign_cpu_pct", rep, cpu.foreignPercent(), "%");
  }

  private void sequentialPhase(String suite, int rep, PipelinedRaftClient client)
      throws BenchFailure, InterruptedException {
    HostCpu cpu = HostCpu.start();
    long start = System.nanoTime();
    LatencyStats seq = sequential(client, settings.seq(), settings.seqMaxSeconds());
    double seconds = (System.nanoTime() - start) / 1e9;
    results.record(suite, "a_seq_p50_us", rep, seq.percentileMicros(50), "us");
    results.record(suite, "a_seq_p90_us", rep, seq.percentileMicros(90), "us");
    results.record(suite, "a_seq_p99_us", rep, seq.percentileMicros(99), "us");
    results.record(suite, "a_seq_max_us", rep, seq.maxMicros(), "us");
    results.record(suite, "a_seq_ops_per_s", rep, seq.count() / seconds, "ops/s");
    results.record(suite, "a_host_busy_pct", rep, cpu.busyPercent(), "%");
    results.record(suite, "a_host_foreign_cpu_pct", rep, cpu.foreignPercent(), "%");
    results.record(suite, "a_seq_samples", rep, seq.count(), "count");
  }

  private void throughputPhase(String suite, int rep, NodeProcesses nodes, PipelinedRaftClient client)
      throws BenchFailure, InterruptedException {
    Map<Integer, NodeProcesses.Event> usageBefore = nodes.usage(STATS_MILLIS);
    HostCpu cpu = HostCpu.start();
    Load load = closedLoop(suite, client, settings.tputSeconds(), "throughput");
    Map<Integer, NodeUsage> usage = usageChanges(usageBefore, nodes.usage(STATS_MILLIS));
    recordNodeUsage(suite, rep, usage, load.completed);
    recordTraceCost(suite, rep, usage, load.completed);
    results.record(suite, "b_tput_ops_per_s", rep, load.completed / load.seconds, "ops/s");
    results.record(suite, "b_tput_lat_p50_us", rep, load.latency.percentileMicros(50), "us");
    results.record(suite, "b_tput_lat_p99_us", rep, load.latency.percentileMicros(99), "us");
    results.record(suite, "b_host_busy_pct", rep, cpu.busyPercent(), "%");
    results.record(suite, "b_host_foreign_cpu_pct", rep, cpu.foreignPercent(), "%");
    if (load.errors > 0) {
      results.record(suite, "b_tput_errors", rep, load.errors, "count");
    }
  }

  private void failover(String suite, int rep, NodeProcesses nodes, PipelinedRaftClient client)
      throws BenchFailure, InterruptedException {
    NodeProcesses.Event current = nodes.latestLeader();
    if (current == null) {
      throw new BenchFailure("no LEADER report before the kill");
    }
    int oldLeader = current.node();
    long oldTerm = current.values()[1];
    HostCpu cpu = HostCpu.start();
    long tk = System.nanoTime();
    nodes.kill(oldLeader);
    CompletableFuture<Long> nextCommit = client.write(payload).thenApply(result -> System.nanoTime());
    NodeProcesses.Event leader = nodes.await("a new LEADER report after killing node " + oldLeader,
        e -> e.type().equals(NodeLine.LEADER) && e.node() != oldLeader && e.values()[1] > oldTerm, FAILOVER_MILLIS);
    results.record(suite, "d_reelection_ms", rep, (leader.values()[0] - tk) / 1e6, "ms");
    out.printf(java.util.Locale.ROOT, "[%s] rep %d: killed node %d, leader of term %d, at tk = %d ns; node %d reported "
        + "LEADER of term %d %.1f ms later%n", suite, rep, oldLeader, oldTerm, tk, leader.node(), leader.values()[1],
        (leader.values()[0] - tk) / 1e6);
    out.flush();
    long committed = await(nextCommit, "the first write after killing the leader");
    results.record(suite, "d_client_failover_first_commit_ms", rep, (committed - tk) / 1e6, "ms");
    results.record(suite, "d_host_busy_pct", rep, cpu.busyPercent(), "%");
    results.record(suite, "d_host_foreign_cpu_pct", rep, cpu.foreignPercent(), "%");
    results.record(suite, "d_new_term_minus_old", rep, leader.values()[1] - oldTerm, "terms");
  }

  /**
   * What each node's USAGE counters grew by over a phase (so {@code nanos} is the phase's length); a node
   * without both lines (killed) is left out.
   */
  private static Map<Integer, NodeUsage> usageChanges(Map<Integer, NodeProcesses.Event> before,
      Map<Integer, NodeProcesses.Event> after) {
    Map<Integer, NodeUsage> changes = new TreeMap<>();
    for (Map.Entry<Integer, NodeProcesses.Event> end : after.entrySet()) {
      NodeProcesses.Event start = before.get(end.getKey());
      if (start != null) {
        changes.put(end.getKey(), NodeUsage.of(end.getValue().values()).minus(NodeUsage.of(start.values())));
      }
    }
    return changes;
  }

  /**
   * Where the nodes' CPU went during phase (b), from what their USAGE counters grew by, traced or not:
   * {@code b_node_cpu_us_per_op}, all nodes' CPU time per write completed;
   * {@code b_leader_driver_cpu_us_per_op}, the busiest driver thread's (the leader's) CPU time per write
   * completed, which a traced leader's recording adds to, measured in CPU time so that the thread's waits and
   * preemptions do not count; {@code b_gc_pct}, the largest share, over the nodes, of the phase's time spent
   * in garbage collection; {@code b_gc_count}, collections in all nodes. A traced suite that is slower than
   * recording explains shows it here first.
   */
  private void recordNodeUsage(String suite, int rep, Map<Integer, NodeUsage> usage, long completed) {
    long cpuNanos = 0;
    long collections = 0;
    long busiestDriverNanos = 0;
    double worstGcPct = 0;
    StringBuilder perNode = new StringBuilder();
    for (Map.Entry<Integer, NodeUsage> node : usage.entrySet()) {
      NodeUsage change = node.getValue();
      double nanos = Math.max(1, change.nanos());
      double gcPct = 100.0 * change.gcNanos() / nanos;
      cpuNanos += change.cpuNanos();
      collections += change.gcCount();
      worstGcPct = Math.max(worstGcPct, gcPct);
      busiestDriverNanos = Math.max(busiestDriverNanos, change.driverCpuNanos());
      perNode.append(String.format(java.util.Locale.ROOT, "; node %d: CPU %.0f%%, GC %.2f%% in %d collections",
          node.getKey(), 100.0 * change.cpuNanos() / nanos, gcPct, change.gcCount()));
    }
    out.printf("[%s] rep %d: node usage in (b)%s%n", suite, rep, perNode);
    results.record(suite, "b_node_cpu_us_per_op", rep, cpuNanos / 1e3 / Math.max(1, completed), "us");
    results.record(suite, "b_leader_driver_cpu_us_per_op", rep, busiestDriverNanos / 1e3 / Math.max(1, completed),
        "us");
    results.record(suite, "b_gc_pct", rep, worstGcPct, "%");
    results.record(suite, "b_gc_count", rep, collections, "count");
  }

  /**
   * For a traced cluster, what recording the trace cost during phase (b), from what the nodes' USAGE
   * counters grew by: {@code b_trace_driver_pct}, the largest share of a node's time its driver spent recording
   * (the commit path gets that much longer); {@code b_trace_cpu_pct}, the share of all nodes' CPU time, the
   * page toucher's included; {@code b_trace_bytes_per_op}, the bytes all nodes' journals grew by per write
   * completed, which the disk takes besides the log.
   */
  private void recordTraceCost(String suite, int rep, Map<Integer, NodeUsage> usage, long completed) {
    double worstDriverPct = 0;
    long recordingNanos = 0;
    long cpuNanos = 0;
    long events = 0;
    long journalBytes = 0;
    StringBuilder perNode = new StringBuilder();
    for (Map.Entry<Integer, NodeUsage> node : usage.entrySet()) {
      NodeUsage change = node.getValue();
      long recording = change.recordingNanos();
      long toucher = change.toucherNanos();
      long nodeEvents = change.events();
      double seconds = Math.max(1, change.nanos()) / 1e9;
      double driverPct = 100.0 * recording / (seconds * 1e9);
      events += nodeEvents;
      journalBytes += change.journalBytes();
      recordingNanos += recording + toucher;
      cpuNanos += change.cpuNanos();
      worstDriverPct = Math.max(worstDriverPct, driverPct);
      perNode.append(String.format(java.util.Locale.ROOT, "; node %d: %.0f events/s, %.0f ns/event, %.2f%% of its"
          + " time, page toucher %.2f%%, CPU %.0f%%, journal %.2f MB/s", node.getKey(), nodeEvents / seconds,
          (double) recording / Math.max(1, nodeEvents), driverPct, 100.0 * toucher / (seconds * 1e9),
          100.0 * change.cpuNanos() / (seconds * 1e9), change.journalBytes() / 1e6 / seconds));
    }
    if (events > 0) {
      out.printf("[%s] rep %d: trace recording in (b)%s%n", suite, rep, perNode);
      results.record(suite, "b_trace_driver_pct", rep, worstDriverPct, "%");
      results.record(suite, "b_trace_cpu_pct", rep, 100.0 * recordingNanos / Math.max(1, cpuNanos), "%");
      results.record(suite, "b_trace_bytes_per_op", rep, (double) journalBytes / Math.max(1, completed), "B");
    }
  }

  /** {@code count} writes one after the other, stopped after {@code maxSeconds}. */
  private LatencyStats sequential(PipelinedRaftClient client, int count, double maxSeconds)
      throws BenchFailure, InterruptedException {
    long[] latencies = new long[count];
    int done = 0;
    int errors = 0;
    long stopAt = System.nanoTime() + (long) Math.min(maxSeconds * 1e9, Long.MAX_VALUE / 2.0);
    for (int i = 0; i < count && System.nanoTime() - stopAt < 0; i++) {
      long start = System.nanoTime();
      try {
        client.write(payload).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        latencies[done++] = System.nanoTime() - start;
      } catch (ExecutionException | TimeoutException e) {
        if (++errors > 10) {
          throw new BenchFailure("more than 10 sequential writes failed, the last: " + cause(e));
        }
      }
    }
    return new LatencyStats(latencies, done);
  }

  /** What a closed-loop phase measured. */
  private record Load(long completed, long errors, double seconds, LatencyStats latency) {}

  /**
   * Keeps {@code concurrency} writes outstanding for {@code seconds}: a new write starts as soon as one
   * completes. Counts only writes completed inside the window.
   */
  private Load closedLoop(String suite, PipelinedRaftClient client, double seconds, String phase)
      throws BenchFailure, InterruptedException {
    int outstanding = settings.concurrency();
    Semaphore slots = new Semaphore(outstanding);
    long[] latencies = new long[MAX_SAMPLES];
    AtomicInteger completed = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    AtomicLongArray perSecond = new AtomicLongArray((int) Math.ceil(seconds) + 1);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() - end < 0) {
      if (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
        continue;
      }
      long sent = System.nanoTime();
      client.write(payload).whenComplete((result, failure) -> {
        long now = System.nanoTime();
        if (failure != null) {
          errors.incrementAndGet();
        } else if (now - end <= 0) {
          perSecond.incrementAndGet((int) Math.min(perSecond.length() - 1, (now - start) / 1_000_000_000L));
          int k = completed.getAndIncrement();
          if (k < latencies.length) {
            latencies[k] = now - sent;
          }
        }
        slots.release();
      });
    }
    if (!slots.tryAcquire(outstanding, COMMAND_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS)) {
      throw new BenchFailure("the writes of the " + phase + " phase did not complete in time");
    }
    if (settings.timeline()) {
      List<Long> counts = new ArrayList<>();
      for (int i = 0; i < perSecond.length(); i++) {
        counts.add(perSecond.get(i));
      }
      out.println("[" + suite + "] " + phase + ": writes completed per second " + counts);
      out.flush();
    }
    int kept = Math.min(completed.get(), latencies.length);
    return new Load(completed.get(), errors.get(), (end - start) / 1e9, new LatencyStats(latencies, kept));
  }

  private static long await(CompletableFuture<Long> commit, String what) throws BenchFailure, InterruptedException {
    try {
      return commit.get(COMMAND_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new BenchFailure(what + " failed: " + cause(e));
    } catch (TimeoutException e) {
      throw new BenchFailure(what + " did not complete in time");
    }
  }

  private static String cause(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return String.valueOf(cause.getMessage());
  }
}
