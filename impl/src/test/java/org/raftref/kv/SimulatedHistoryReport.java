package org.raftref.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A measurement, not a test: runs {@link KvSimulation} for seeds 1..N, checks each history, and prints one
 * line per seed (operations, faults, checker steps and wall time) and a summary. Usage is in
 * {@code docs/linearizability.md}. Exits 1 if any history is not linearizable or the check is inconclusive.
 */
final class SimulatedHistoryReport {

  private SimulatedHistoryReport() {}

  public static void main(String[] args) {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    boolean naive = args.length > 1 && args[1].equals("fresh-sequence-on-retry");
    KvSimulation.Settings settings = KvSimulation.Settings.DEFAULT;
    if (naive) {
      settings = settings.withFreshSequenceOnRetry();
    }
    List<Long> checkMicros = new ArrayList<>();
    long totalOps = 0;
    long totalPending = 0;
    long totalSimMicros = 0;
    int bad = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      long t0 = System.nanoTime();
      KvSimulation.Outcome outcome = new KvSimulation(seed, settings).run();
      long t1 = System.nanoTime();
      CheckResult result = SimulatedLinearizabilityTest.CHECKER.check(outcome.history());
      long t2 = System.nanoTime();
      int maxPerKey = result.keys().stream().mapToInt(CheckResult.KeyResult::operations).max().orElse(0);
      double inFlight = meanInFlight(outcome.history().operations());
      System.out.printf("seed %3d  %-16s  ops %4d  pending %3d  maxOpsPerKey %4d  inFlight %4.1f  steps %7d  check %6.1f ms"
              + "  sim %6.1f ms  %s%n", seed, result.verdict(), outcome.stats().operations,
          outcome.stats().pending(), maxPerKey, inFlight, result.totalSteps(), (t2 - t1) / 1e6, (t1 - t0) / 1e6,
          outcome.stats());
      if (!result.linearizable()) {
        bad++;
        System.out.println(result.describe());
      }
      checkMicros.add((t2 - t1) / 1000);
      totalOps += outcome.stats().operations;
      totalPending += outcome.stats().pending();
      totalSimMicros += (t1 - t0) / 1000;
    }
    Collections.sort(checkMicros);
    long sum = checkMicros.stream().mapToLong(Long::longValue).sum();
    System.out.printf("%d seeds: %d not linearizable or inconclusive; %.0f operations per history (%.1f pending);"
            + " check median %.1f ms, max %.1f ms, mean %.1f ms; simulation mean %.1f ms%n", seeds, bad,
        (double) totalOps / seeds, (double) totalPending / seeds, checkMicros.get(seeds / 2) / 1e3,
        checkMicros.get(seeds - 1) / 1e3, sum / 1e3 / seeds, totalSimMicros / 1e3 / seeds);
    System.exit(bad == 0 ? 0 : 1);
  }

  /** Operations in flight when an operation is invoked (itself included), averaged: the history's concurrency. */
  static double meanInFlight(List<Operation> operations) {
    long total = 0;
    for (Operation op : operations) {
      total += operations.stream().filter(o -> o.invoke() <= op.invoke() && o.response() >= op.invoke()).count();
    }
    return operations.isEmpty() ? 0 : (double) total / operations.size();
  }
}
