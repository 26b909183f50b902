package org.raftref.sim;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.raftref.trace.TraceSink;

/**
 * The simulator's speed: simulated steps per wall-clock second, and virtual seconds per wall-clock second,
 * for a few cluster sizes and fault mixes ({@code SimulatorMain --bench}). A measurement, never a test:
 * nothing here asserts a speed.
 */
final class SimulatorBench {

  private record Row(int nodes, FaultMix mix) {}

  private static final List<Row> ROWS = List.of(
      new Row(3, FaultMix.NONE), new Row(3, FaultMix.ALL),
      new Row(5, FaultMix.NONE), new Row(5, FaultMix.LOSS), new Row(5, FaultMix.PARTITIONS),
      new Row(5, FaultMix.CRASHES), new Row(5, FaultMix.ALL),
      new Row(7, FaultMix.NONE), new Row(7, FaultMix.ALL));

  private static final int SEEDS = 3;
  private static final long DURATION_MILLIS = 60_000;

  private SimulatorBench() {}

  static void run(PrintStream out) {
    out.println("simulator bench: " + SEEDS + " seeds per row, each a " + DURATION_MILLIS / 1000
        + " s safety phase then the liveness phase; Java " + System.getProperty("java.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores");
    // Warm-up, so that the first row does not pay for class loading and JIT compilation.
    for (long seed = 100; seed < 104; seed++) {
      measure(new Row(5, FaultMix.ALL), seed);
    }
    out.println(String.format(Locale.ROOT, "%5s  %-10s  %10s  %10s  %8s  %12s  %15s",
        "nodes", "faults", "virtual s", "steps", "wall ms", "steps/s", "virtual s/wall s"));
    for (Row row : ROWS) {
      long steps = 0;
      long virtualMillis = 0;
      long wallNanos = 0;
      for (long seed = 1; seed <= SEEDS; seed++) {
        long start = System.nanoTime();
        RunSummary s = measure(row, seed);
        wallNanos += System.nanoTime() - start;
        steps += s.steps();
        virtualMillis += s.virtualMillis();
        if (!s.passed()) {
          out.println("  (seed " + seed + " failed: " + s.verdictLine() + ")");
        }
      }
      double wallSeconds = wallNanos / 1e9;
      out.println(String.format(Locale.ROOT, "%5d  %-10s  %10.1f  %10d  %8.0f  %12.0f  %15.0f",
          row.nodes(), row.mix().label(), virtualMillis / 1000.0, steps, wallSeconds * 1000,
          steps / wallSeconds, virtualMillis / 1000.0 / wallSeconds));
    }
    out.flush();
  }

  private static RunSummary measure(Row row, long seed) {
    FaultSchedule schedule = RandomSchedules.generate(seed, row.nodes(), DURATION_MILLIS, row.mix()).schedule();
    return ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, TraceSink.NONE);
  }
}
