package org.raftref.sim;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.raftref.trace.TraceSink;

/**
 * The simulator's speed: simulated steps per second, and virtual seconds per second, for a few cluster sizes
 * and fault mixes ({@code SimulatorMain --bench}). The rates are per second of the measuring thread's CPU
 * time, which several engineers sharing two cores disturb far less than wall time (both times are printed).
 * A measurement, never a test: nothing here asserts a speed.
 */
final class SimulatorBench {

  private record Row(int nodes, FaultMix mix) {}

  private static final List<Row> ROWS = List.of(
      new Row(3, FaultMix.NONE), new Row(3, FaultMix.ALL),
      new Row(5, FaultMix.NONE), new Row(5, FaultMix.LOSS), new Row(5, FaultMix.PARTITIONS),
      new Row(5, FaultMix.CRASHES), new Row(5, FaultMix.ALL),
      new Row(7, FaultMix.NONE), new Row(7, FaultMix.ALL));

  private static final int SEEDS = 5;
  private static final long DURATION_MILLIS = 1_800_000;

  private SimulatorBench() {}

  static void run(PrintStream out) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
    out.println("simulator bench: " + SEEDS + " seeds per row, each a " + DURATION_MILLIS / 1000
        + " s safety phase then the liveness phase; Java " + System.getProperty("java.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores; rates per second of "
        + (cpuTime ? "this thread's CPU time (steady on a shared machine; wall time also shown)" : "wall time"));
    // Warm-up, so that the first row does not pay for class loading and JIT compilation.
    for (long seed = 100; seed < 110; seed++) {
      measure(new Row(5, FaultMix.ALL), seed);
    }
    out.println(String.format(Locale.ROOT, "%5s  %-10s  %10s  %10s  %8s  %8s  %10s  %16s",
        "nodes", "faults", "virtual s", "steps", "wall ms", "cpu ms", "steps/s", "virtual s/s"));
    for (Row row : ROWS) {
      long steps = 0;
      long virtualMillis = 0;
      long wallNanos = 0;
      long cpuNanos = 0;
      for (long seed = 1; seed <= SEEDS; seed++) {
        long wallStart = System.nanoTime();
        long cpuStart = cpuTime ? threads.getCurrentThreadCpuTime() : 0;
        RunSummary s = measure(row, seed);
        wallNanos += System.nanoTime() - wallStart;
        cpuNanos += cpuTime ? threads.getCurrentThreadCpuTime() - cpuStart : 0;
        steps += s.steps();
        virtualMillis += s.virtualMillis();
        if (!s.passed()) {
          out.println("  (seed " + seed + " failed: " + s.verdictLine() + ")");
        }
      }
      double seconds = (cpuTime ? cpuNanos : wallNanos) / 1e9;
      out.println(String.format(Locale.ROOT, "%5d  %-10s  %10.1f  %10d  %8.0f  %8.0f  %10.0f  %16.0f",
          row.nodes(), row.mix().label(), virtualMillis / 1000.0, steps, wallNanos / 1e6, cpuNanos / 1e6,
          steps / seconds, virtualMillis / 1000.0 / seconds));
    }
    out.flush();
  }

  private static RunSummary measure(Row row, long seed) {
    FaultSchedule schedule = RandomSchedules.generate(seed, row.nodes(), DURATION_MILLIS, row.mix()).schedule();
    return ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, TraceSink.NONE);
  }
}
