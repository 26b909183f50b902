package org.raftref.tracecheck.ci;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.raftref.sim.Fault;
import org.raftref.sim.FaultMix;
import org.raftref.sim.FaultSchedule;
import org.raftref.sim.RandomSchedules;
import org.raftref.sim.RunSummary;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;
import org.raftref.sim.TimedFault;
import org.raftref.sim.lab.LabScenarios;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.validate.TlcProcess;
import org.raftref.tracecheck.validate.TraceValidator;

/**
 * In CI, the implementation's own runs are replayed through spec/TraceRaft.tla: every ported 6.824 lab
 * scenario (seed 1) and {@value #SCHEDULES} random fault schedules (crashes, restarts, partitions, loss,
 * duplication) write an ndjson trace under {@code target/ci-traces/}, and TLC must accept every event of it.
 *
 * <p>The runs are fixed by their seeds, so CI validates the same traces every time. A failure names the run,
 * its seed, the validator's report (the first event the spec rejects and why) and the commands that replay
 * it. TLC runs one trace at a time (the machine has 2 cores); measured times are in docs/performance.md,
 * section "Trace validation".
 *
 * <p>{@code -Draftref.ci.only=NAME} runs only the lab scenario or schedule whose name contains NAME (for
 * instance {@code Lab2CTest#figure8Unreliable} or {@code schedule 7}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CiTraceValidationTest {

  private static final Path SPEC_DIR = Path.of(System.getProperty("raftref.specDir", "../spec"));
  private static final Path WORK_ROOT =
      Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("ci");
  private static final Path TRACE_DIR = Path.of("target", "ci-traces");
  private static final String ONLY = System.getProperty("raftref.ci.only", "");

  /** The seed every lab scenario runs with here (the lab tests themselves run seeds 1..5). */
  static final long LAB_SEED = 1;

  /** How many random schedules; their seeds are 1..SCHEDULES. */
  static final int SCHEDULES = 20;

  /**
   * Virtual time of a schedule's fault phase. Long enough for several faults of each kind, short enough
   * that a trace stays near a few thousand events, where TLC's start-up dominates the validation time.
   */
  static final long SCHEDULE_MILLIS = 6_000;

  private static final TraceValidator VALIDATOR = new TraceValidator(
      SPEC_DIR, WORK_ROOT, TraceValidator.Input.OVERRIDE, TlcProcess.forked("512m"));

  private static final String RERUN =
      // Both modules in one reactor: trace-check then reads impl's test classes from impl/target, not from a
      // test-jar in the local repository that another build may be rewriting.
      "mvn -B -pl impl,trace-check test -Dtest=CiTraceValidationTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Draftref.ci.only=";

  /** Environment actions seen over all schedule traces, and whether some schedule partitioned the cluster. */
  private static final Set<TraceAction> scheduleActions = EnumSet.noneOf(TraceAction.class);
  private static boolean schedulePartitioned;
  private static int schedulesRun;

  private static long traces;
  private static long events;
  private static long validationMillis;

  @BeforeAll
  static void makeTraceDir() throws IOException {
    Files.createDirectories(TRACE_DIR);
  }

  @AfterAll
  static void printTotals() {
    System.out.println("CI trace validation: " + traces + " traces, " + events + " events, "
        + validationMillis + " ms in the validator");
  }

  static Stream<String> labScenarios() {
    return LabScenarios.names().stream();
  }

  static LongStream scheduleSeeds() {
    return LongStream.rangeClosed(1, SCHEDULES);
  }

  @Order(1)
  @ParameterizedTest(name = "{0} seed " + LAB_SEED)
  @MethodSource("labScenarios")
  void labScenarioTraceValidates(String scenario) throws Exception {
    Assumptions.assumeTrue(scenario.contains(ONLY), "-Draftref.ci.only=" + ONLY);
    Path file = TRACE_DIR.resolve(scenario.replace('#', '-') + "-seed" + LAB_SEED + ".ndjson");
    List<NdjsonSink> sinks = new ArrayList<>();
    String origin = "lab scenario " + scenario + " seed " + LAB_SEED;
    try {
      LabScenarios.run(scenario, LAB_SEED, servers -> {
        if (!sinks.isEmpty()) {
          throw new IllegalStateException(scenario + " builds more than one cluster; this test traces one");
        }
        NdjsonSink sink = NdjsonSink.toFile(file, new TraceHeader(members(servers),
            SimParams.DEFAULTS.maxEntriesPerAppend(), origin));
        sinks.add(sink);
        return sink;
      });
    } catch (Throwable failure) {
      throw new AssertionError(origin + ": the scenario itself failed before its trace was validated; "
          + "replay: mvn -B -pl impl test -Dtest='" + scenario + "' -Draftref.seed=" + LAB_SEED
          + "\n" + failure, failure);
    } finally {
      sinks.forEach(NdjsonSink::close);
    }
    assertTrue(sinks.size() == 1, origin + " built no cluster, so it wrote no trace");
    validate(origin, file, RERUN + "'" + scenario + "'");
  }

  @Order(2)
  @ParameterizedTest(name = "schedule {0}")
  @MethodSource("scheduleSeeds")
  void randomFaultScheduleTraceValidates(long seed) throws Exception {
    Assumptions.assumeTrue(("schedule " + seed).contains(ONLY), "-Draftref.ci.only=" + ONLY);
    FaultSchedule schedule = RandomSchedules.generate(seed, 0, SCHEDULE_MILLIS, FaultMix.ALL).schedule();
    Path file = TRACE_DIR.resolve("schedule-seed" + seed + ".ndjson");
    String origin = "random fault schedule, seed " + seed;
    String simulatorReplay = "mvn -B -q -pl impl exec:java -Dexec.args=\"--seed " + seed + " --schedule "
        + schedule.render() + " --trace " + file.getFileName() + "\"";
    NdjsonSink sink = NdjsonSink.toFile(file, new TraceHeader(members(schedule.nodes()),
        SimParams.DEFAULTS.maxEntriesPerAppend(), origin + ": " + schedule.render()));
    RunSummary summary;
    try {
      summary = ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, sink);
    } finally {
      sink.close();
    }
    RunSummary.Failure failure = summary.failure();
    // Liveness is not what this test checks (FaultScheduleProperties does); safety must hold here too.
    if (failure != null && !failure.invariant().equals(RunSummary.LIVENESS)) {
      throw new AssertionError(origin + ": the simulator's checker failed: " + summary.verdictLine()
          + "\nreplay: " + simulatorReplay);
    }
    for (TimedFault f : schedule.faults()) {
      schedulePartitioned |= f.fault() instanceof Fault.Partition;
    }
    for (String line : Files.readAllLines(file)) {
      for (TraceAction a : List.of(TraceAction.Restart, TraceAction.DropMessage, TraceAction.DuplicateMessage)) {
        if (line.contains("\"action\":\"" + a + "\"")) {
          scheduleActions.add(a);
        }
      }
    }
    schedulesRun++;
    validate(origin, file, RERUN + "'schedule " + seed + "'\nreplay the run in the simulator: "
        + simulatorReplay);
  }

  /** The schedules' traces, together, contain every kind of fault the spec models, and partitions. */
  @Order(3)
  @Test
  void theScheduleTracesCoverCrashesLossDuplicationAndPartitions() {
    Assumptions.assumeTrue(schedulesRun == SCHEDULES, "runs only after all " + SCHEDULES + " schedules");
    assertTrue(scheduleActions.containsAll(
        EnumSet.of(TraceAction.Restart, TraceAction.DropMessage, TraceAction.DuplicateMessage)),
        "the schedule traces contain only these fault events: " + scheduleActions);
    assertTrue(schedulePartitioned, "no schedule partitioned the cluster");
  }

  private static void validate(String origin, Path file, String rerun) throws TraceInputException {
    long start = System.nanoTime();
    Outcome outcome = VALIDATOR.validate(List.of(file));
    validationMillis += (System.nanoTime() - start) / 1_000_000;
    traces++;
    if (outcome instanceof Outcome.Valid valid) {
      events += valid.events();
      System.out.println(valid.report());
      return;
    }
    throw new AssertionError(origin + ": its trace does not validate against the spec\n" + outcome.report()
        + "\nrerun: " + rerun + "\nvalidate the kept trace: java -jar trace-check/target/trace-check.jar validate "
        + Path.of("trace-check").resolve(file));
  }

  private static List<Integer> members(int servers) {
    List<Integer> members = new ArrayList<>();
    for (int i = 1; i <= servers; i++) {
      members.add(i);
    }
    return members;
  }
}
