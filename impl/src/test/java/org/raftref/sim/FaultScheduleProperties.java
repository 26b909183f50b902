package org.raftref.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.raftref.trace.TraceSink;

/**
 * Raft under arbitrary fault schedules (partitions, disconnects, crashes and restarts, loss, delay, long
 * reordering, duplication), run by {@link ScheduledRun}. jqwik shrinks a failing schedule to a minimal one:
 * fewer faults, earlier, on lower node ids, in a smaller cluster.
 *
 * <p>The jqwik seeds are fixed, so CI runs the same schedules every time. A failure message carries the
 * invariant, the cluster seed, the schedule, and two one-line commands: one replays the failing run in the
 * simulator, the other reruns the property.
 */
class FaultScheduleProperties {

  /** The longest safety phase a generated schedule asks for: faults come within it, then a quiet tail. */
  private static final long MAX_FAULT_MILLIS = 10_000;

  /** Figure 3's properties (and the checker's others) hold after every step, whatever the faults. */
  @Property(tries = 6000, seed = "6824", edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(onFailureOnly = true)
  void safetyInvariantsHoldUnderEveryFaultSchedule(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll("schedules") FaultSchedule schedule) {
    RunSummary summary = ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, TraceSink.NONE);
    RunSummary.Failure failure = summary.failure();
    if (failure != null && !failure.invariant().equals(RunSummary.LIVENESS)) {
      throw new AssertionError(report(summary, schedule, "safetyInvariantsHoldUnderEveryFaultSchedule"));
    }
    // Runs that never change leader or commit nothing under faults would check little: make sure most do.
    Statistics.label("commands committed under faults").collect(summary.commandsCommitted() > 1);
    Statistics.label("more than one leader").collect(summary.leaderOfTerm().size() > 1);
    Statistics.label("messages dropped").collect(summary.messagesDropped() > 0);
    Statistics.label("commands committed under faults").coverage(c -> c.check(true).percentage(p -> p >= 40));
    Statistics.label("more than one leader").coverage(c -> c.check(true).percentage(p -> p >= 30));
    Statistics.label("messages dropped").coverage(c -> c.check(true).percentage(p -> p >= 50));
  }

  /**
   * Once the faults stop, the network heals and a majority is up, a new command commits within
   * {@link ScheduledRun#livenessBoundMillis} (8350 ms of virtual time with the default timing).
   */
  @Property(tries = 2000, seed = "2023", edgeCases = EdgeCasesMode.NONE)
  @StatisticsReport(onFailureOnly = true)
  void aNewCommandCommitsInBoundedTimeAfterTheFaultsHeal(
      @ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll("schedules") FaultSchedule schedule) {
    RunSummary summary = ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, TraceSink.NONE);
    if (!summary.passed()) {
      throw new AssertionError(report(summary, schedule, "aNewCommandCommitsInBoundedTimeAfterTheFaultsHeal"));
    }
    assertTrue(summary.livenessMillis() >= 0 && summary.livenessMillis() <= summary.livenessBoundMillis());
    Statistics.label("nodes kept down").collect(schedule.keepDown().size());
    Statistics.label("nodes kept down").coverage(c -> c.check(1).percentage(p -> p >= 20));
  }

  /** A schedule's text form (what a failure prints and {@code --schedule} reads) gives back the schedule. */
  @Property(tries = 200, seed = "42")
  void aScheduleReadsBackFromItsTextForm(@ForAll("schedules") FaultSchedule schedule) {
    assertEquals(schedule, FaultSchedule.parse(schedule.render()));
  }

  /** The command line's generator makes valid schedules, the same for the same seed. */
  @Property(tries = 200, seed = "7")
  void theGeneratorIsAFunctionOfItsSeed(@ForAll long seed, @ForAll FaultMix mix) {
    RandomSchedules.Generated a = RandomSchedules.generate(seed, 0, 20_000, mix);
    RandomSchedules.Generated b = RandomSchedules.generate(seed, 0, 20_000, mix);
    assertEquals(a, b);
    FaultSchedule s = a.schedule();
    assertEquals(s, FaultSchedule.parse(s.render()));
    assertTrue(mix != FaultMix.NONE || s.faults().isEmpty(), s::render);
    for (TimedFault f : s.faults()) {
      Fault fault = f.fault();
      boolean message = fault instanceof Fault.Reliable || fault instanceof Fault.LongReordering
          || fault instanceof Fault.Duplication;
      boolean node = fault instanceof Fault.Crash || fault instanceof Fault.CrashLeader
          || fault instanceof Fault.Restart;
      boolean allowed = message ? mix.messageFaults() : node ? mix.nodeFaults() : mix.connectivityFaults();
      assertTrue(allowed, () -> f.render() + " is not a fault of mix " + mix.label());
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<FaultSchedule> schedules() {
    return Arbitraries.integers().between(3, 5).flatMap(FaultScheduleProperties::schedulesOf);
  }

  private static Arbitrary<FaultSchedule> schedulesOf(int n) {
    Arbitrary<TimedFault> timed = Combinators.combine(
        Arbitraries.longs().between(0, MAX_FAULT_MILLIS), faults(n)).as(TimedFault::new);
    // Uniform sizes: jqwik's default favours short lists, and most faults matter only in company.
    Arbitrary<List<TimedFault>> faults =
        timed.list().ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    Arbitrary<Long> quietTail = Arbitraries.longs().between(0, 2_000);
    Arbitrary<Long> workloadEvery = Arbitraries.longs().between(10, 500);
    Arbitrary<List<Integer>> keepDown =
        Arbitraries.integers().between(1, n).set().ofMaxSize((n - 1) / 2).map(ArrayList::new);
    return Combinators.combine(faults, quietTail, workloadEvery, keepDown).as((fs, tail, every, down) -> {
      long last = fs.stream().mapToLong(TimedFault::atMillis).max().orElse(0);
      return new FaultSchedule(n, last + tail, every, fs, down);
    });
  }

  /** Every kind of fault; node faults and partitions are the most frequent, as they break the most. */
  private static Arbitrary<Fault> faults(int n) {
    Arbitrary<Integer> node = Arbitraries.integers().between(1, n);
    Arbitrary<Boolean> onOff = Arbitraries.of(true, false);
    return Arbitraries.frequencyOf(
        Tuple.of(4, node.map(Fault.Crash::new)),
        Tuple.of(2, Arbitraries.just(new Fault.CrashLeader())),
        Tuple.of(2, Arbitraries.just(new Fault.DisconnectLeader())),
        Tuple.of(4, node.map(Fault.Restart::new)),
        Tuple.of(2, node.map(Fault.Disconnect::new)),
        Tuple.of(2, node.map(Fault.Connect::new)),
        Tuple.of(4, partitions(n)),
        Tuple.of(2, Arbitraries.just(new Fault.Heal())),
        Tuple.of(2, onOff.map(Fault.Reliable::new)),
        Tuple.of(1, onOff.map(Fault.LongReordering::new)),
        Tuple.of(1, Arbitraries.doubles().between(0, 0.3).ofScale(2).map(Fault.Duplication::new)));
  }

  /** A group number per node (shrinking towards all in one group); groups in order of their number. */
  private static Arbitrary<Fault> partitions(int n) {
    return Arbitraries.integers().between(0, 2).list().ofSize(n).map(groupOf -> {
      Map<Integer, List<Integer>> groups = new TreeMap<>();
      for (int i = 1; i <= n; i++) {
        groups.computeIfAbsent(groupOf.get(i - 1), g -> new ArrayList<>()).add(i);
      }
      return new Fault.Partition(new ArrayList<>(groups.values()));
    });
  }

  // ---------------------------------------------------------------------------------------------------

  private static String report(RunSummary summary, FaultSchedule schedule, String property) {
    List<String> lines = summary.lines();
    return String.join("\n", summary.verdictLine(),
        "cluster seed: " + summary.seed(),
        "schedule: " + schedule.render(),
        "replay this run: " + SimulatorMain.RUN_COMMAND + "\"--seed " + summary.seed() + " --schedule "
            + schedule.render() + "\"",
        "rerun the property (its jqwik seed is fixed): mvn -B -q -pl impl test -Dtest='FaultScheduleProperties#"
            + property + "' -Dsurefire.failIfNoSpecifiedTests=false",
        "summary:",
        String.join("\n", lines.subList(0, lines.size() - 1)));
  }
}
