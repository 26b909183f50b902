package org.raftref.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the host's CPUs were over an interval, from the aggregate line of /proc/stat: 100 means every
 * core was busy all the time. The host may run other work at the same time; a phase measured while it was
 * busy with that shows here. Without /proc/stat (not Linux) it reports NaN.
 */
final class HostCpu {

  private final long[] start;

  private HostCpu(long[] start) {
    this.start = start;
  }

  /** Starts an interval now. */
  static HostCpu start() {
    return new HostCpu(jiffies());
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
