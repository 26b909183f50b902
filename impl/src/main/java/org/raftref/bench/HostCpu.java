package org.raftref.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How busy the host's CPUs were over an interval, from the aggregate line of /proc/stat (100 means every core
 * was busy all the time), and how much of that was <em>foreign</em>: CPU used by processes other than this
 * JVM and its children (the node JVMs). The host may run other work at the same time; a phase measured while
 * it did shows a high foreign %. Without /proc/stat (not Linux) both are NaN.
 */
final class HostCpu {

  private final long[] start;
  private final Map<Long, Long> ownStart;
  private final long startNanos;

  private HostCpu(long[] start, Map<Long, Long> ownStart, long startNanos) {
    this.start = start;
    this.ownStart = ownStart;
    this.startNanos = startNanos;
  }

  /** Starts an interval now. */
  static HostCpu start() {
    return new HostCpu(jiffies(), ownCpuNanos(), System.nanoTime());
  }

  /** Busy % of all CPUs since {@link #start()}, or NaN if /proc/stat cannot be read. */
  double busyPercent() {
    long[] now = jiffies();
    long total = now[0] - start[0];
    long idle = now[1] - start[1];
    if (now[0] < 0 || start[0] < 0 || total <= 0) {
      return Double.NaN;
    }
    return 100.0 * (total - idle) / total;
  }

  /**
   * Busy % of all CPUs since {@link #start()} that this JVM and its children did not use (never below 0). A
   * child that ended during the interval (a killed node) is left out: its CPU cannot be read after its end.
   */
  double foreignPercent() {
    double busy = busyPercent();
    long own = 0;
    for (Map.Entry<Long, Long> process : ownCpuNanos().entrySet()) {
      own += process.getValue() - ownStart.getOrDefault(process.getKey(), 0L);
    }
    double capacity = (double) (System.nanoTime() - startNanos) * Runtime.getRuntime().availableProcessors();
    return capacity <= 0 ? Double.NaN : Math.max(0, busy - 100.0 * own / capacity);
  }

  /** CPU time of this JVM and each descendant, by pid. */
  private static Map<Long, Long> ownCpuNanos() {
    Map<Long, Long> cpu = new HashMap<>();
    Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().descendants()).forEach(p ->
        p.info().totalCpuDuration().map(Duration::toNanos).ifPresent(nanos -> cpu.put(p.pid(), nanos)));
    return cpu;
  }

  /** {total, idle + iowait} jiffies since boot, or {-1, -1}. */
  private static long[] jiffies() {
    // Read one line: procfs files report no size, so whole-file reads cannot size their buffer.
    try (BufferedReader in = Files.newBufferedReader(Path.of("/proc/stat"))) {
      String[] fields = String.valueOf(in.readLine()).strip().split("\\s+");
      long total = 0;
      for (int i = 1; i <= 8 && i < fields.length; i++) { // user nice system idle iowait irq softirq steal
        total += Long.parseLong(fields[i]);
      }
      return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }
}
