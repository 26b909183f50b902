package org.raftref.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, with nearest-rank percentiles (peerbench's definition). */
final class LatencyStats {

  private final long[] sorted;

  LatencyStats(long[] samples, int count) {
    this.sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The nearest-rank {@code p}-th percentile (p in 0..100) in microseconds; -1 without samples. */
  double percentileMicros(double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1] / 1e3;
  }

  double maxMicros() {
    return sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1e3;
  }
}
