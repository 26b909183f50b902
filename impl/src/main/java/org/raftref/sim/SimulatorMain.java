package org.raftref.sim;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulator's command line: one seed, one run, a safety phase of random faults then a liveness phase
 * (see {@link ScheduledRun}).
 *
 * <p>Output: the first line names the seed and every parameter derived from it; then a short summary; a
 * failure ends with a one-line command that replays it. Exit status: 0 the run passed, 1 an invariant or
 * the liveness bound failed, 2 the command line was wrong (with a one-line message on stderr).
 */
@Command(
    name = "simulator",
    sortOptions = false,
    description = "Runs a simulated Raft cluster under random faults (safety phase), then heals it and "
        + "requires a new command to commit in bounded virtual time (liveness phase).")
public final class SimulatorMain implements Callable<Integer> {

  /** How a user runs this class from the repository root (used in replay lines). */
  static final String RUN_COMMAND = "mvn -B -q -pl impl exec:java -Dexec.args=";

  /** The largest cluster the command line runs (the generator's partitions and the output stay readable). */
  static final int MAX_NODES = 9;

  static final int EXIT_PASSED = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of every random choice (default: a random seed, printed first).")
  private @Nullable Long seed;

  @Option(names = "--nodes", paramLabel = "N", description = "Cluster size, 1 to 9 (default: 3 to 7, from the seed).")
  private @Nullable Integer nodes;

  @Option(names = "--duration", paramLabel = "TIME", converter = Durations.class,
      description = "Virtual time of the safety phase, e.g. 500ms, 30s, 2m (default: 60s).")
  private @Nullable Long durationMillis;

  @Option(names = "--steps", paramLabel = "N",
      description = "Also end the safety phase after this many simulated steps.")
  private @Nullable Long maxSteps;

  @Option(names = "--faults", paramLabel = "MIX",
      description = "Faults of the safety phase: none, loss, partitions, crashes or all (default: all).")
  private FaultMix faults = FaultMix.ALL;

  @Option(names = "--schedule", paramLabel = "SCHEDULE",
      description = "Replay this exact schedule (as a failing property prints it) instead of generating one; "
          + "replaces --nodes, --duration and --faults.")
  private @Nullable String schedule;

  @Option(names = "--liveness-bound", paramLabel = "TIME", converter = Durations.class,
      description = "How long after the heal a new command may take to commit (default: derived from the "
          + "timing parameters, 8350ms with the defaults).")
  private @Nullable Long livenessBoundMillis;

  @Option(names = "--trace", paramLabel = "FILE",
      description = "Write every event of the run to FILE as ndjson (docs/trace-format.md).")
  private @Nullable Path trace;

  @Option(names = "--show-schedule", description = "Print the schedule (replayable with --schedule) after the first line.")
  private boolean showSchedule;

  @Option(names = "--bench", description = "Measure simulated steps per second for a few cluster sizes and fault "
      + "mixes, print a table, and exit.")
  private boolean bench;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  private final PrintStream out;
  private final PrintStream err;

  SimulatorMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Parses {@code args}, runs, and returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine line = new CommandLine(new SimulatorMain(out, err));
    line.setCaseInsensitiveEnumValuesAllowed(true);
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    line.setParameterExceptionHandler((e, badArgs) -> usageError(err, String.valueOf(e.getMessage())));
    return line.execute(args);
  }

  private static int usageError(PrintStream err, String message) {
    err.println("simulator: " + message.replace('\n', ' ').trim() + " (see --help)");
    err.flush();
    return EXIT_USAGE;
  }

  @Override
  public Integer call() {
    String problem = checkOptions();
    if (problem != null) {
      return usageError(err, problem);
    }
    if (bench) {
      SimulatorBench.run(out);
      return EXIT_PASSED;
    }
    long runSeed = seed != null ? seed : new SplittableRandom().nextLong();
    FaultSchedule plan;
    String derived;
    if (schedule != null) {
      try {
        plan = FaultSchedule.parse(schedule);
      } catch (IllegalArgumentException e) {
        return usageError(err, "--schedule: " + e.getMessage());
      }
      if (plan.nodes() > MAX_NODES) {
        return usageError(err, "--schedule: nodes must be 1 to " + MAX_NODES + ", was " + plan.nodes());
      }
      derived = "faults=given durationMillis=" + plan.durationMillis() + " faultCount=" + plan.faults().size()
          + " workloadEveryMillis=" + plan.workloadEveryMillis() + " keepDown=" + plan.keepDown();
    } else {
      long duration = durationMillis != null ? durationMillis : 60_000;
      RandomSchedules.Generated generated =
          RandomSchedules.generate(runSeed, nodes != null ? nodes : 0, duration, faults);
      plan = generated.schedule();
      derived = generated.describe();
    }
    SimParams params = SimParams.DEFAULTS;
    long bound = livenessBoundMillis != null ? livenessBoundMillis : ScheduledRun.livenessBoundMillis(params);
    long stepLimit = maxSteps != null ? maxSteps : Long.MAX_VALUE;
    NdjsonSink traceSink = null;
    Path traceFile = trace;
    if (traceFile != null) {
      List<Integer> members = new ArrayList<>();
      for (int i = 1; i <= plan.nodes(); i++) {
        members.add(i);
      }
      try {
        traceSink = NdjsonSink.toFile(traceFile,
            new TraceHeader(members, params.maxEntriesPerAppend(), "simulator " + replayArgs(runSeed, plan)));
      } catch (UncheckedIOException e) {
        return usageError(err, "--trace: " + e.getMessage());
      }
    }
    ScheduledRun run = new ScheduledRun(runSeed, plan, params, bound, stepLimit,
        traceSink != null ? traceSink : TraceSink.NONE);

    out.println(run.cluster().describe() + " " + derived + " livenessBoundMillis=" + bound
        + (maxSteps != null ? " maxSteps=" + maxSteps : ""));
    if (showSchedule) {
      out.println("schedule: " + plan.render());
    }
    RunSummary summary = run.run();
    if (traceSink != null) {
      try {
        traceSink.close();
      } catch (UncheckedIOException e) {
        return usageError(err, "--trace: " + e.getMessage());
      }
      out.println("trace: " + summary.traceEvents() + " events written to " + traceFile);
    }
    for (String l : summary.lines()) {
      out.println(l);
    }
    RunSummary.Failure failure = summary.failure();
    if (failure != null) {
      out.println("FAILED: " + failure.invariant() + " with seed " + runSeed);
      out.println("replay: " + replayCommand(runSeed, plan));
    }
    out.flush();
    return failure == null ? EXIT_PASSED : EXIT_FAILED;
  }

  /** A reason the options cannot run, or null if they can. */
  private @Nullable String checkOptions() {
    if (nodes != null && (nodes < 1 || nodes > MAX_NODES)) {
      return "--nodes must be 1 to " + MAX_NODES + ", was " + nodes;
    }
    if (maxSteps != null && maxSteps < 0) {
      return "--steps must not be negative, was " + maxSteps;
    }
    if (schedule != null && (nodes != null || durationMillis != null || faults != FaultMix.ALL)) {
      return "--schedule gives the nodes, duration and faults itself: drop --nodes, --duration and --faults";
    }
    if (bench && (seed != null || nodes != null || durationMillis != null || schedule != null || maxSteps != null
        || livenessBoundMillis != null || faults != FaultMix.ALL || showSchedule || trace != null)) {
      return "--bench runs a fixed set of clusters and takes no other option";
    }
    return null;
  }

  /** The one-line command that repeats this run exactly. */
  private String replayCommand(long runSeed, FaultSchedule plan) {
    return RUN_COMMAND + "\"" + replayArgs(runSeed, plan) + "\"";
  }

  /** The simulator's arguments that repeat this run exactly. */
  private String replayArgs(long runSeed, FaultSchedule plan) {
    StringBuilder args = new StringBuilder("--seed " + runSeed);
    if (schedule != null) {
      args.append(" --schedule ").append(plan.render());
    } else {
      if (nodes != null) {
        args.append(" --nodes ").append(nodes);
      }
      if (durationMillis != null) {
        args.append(" --duration ").append(durationMillis).append("ms");
      }
      args.append(" --faults ").append(faults.label());
    }
    if (maxSteps != null) {
      args.append(" --steps ").append(maxSteps);
    }
    if (livenessBoundMillis != null) {
      args.append(" --liveness-bound ").append(livenessBoundMillis).append("ms");
    }
    return args.toString();
  }

  /** Reads {@code 250ms}, {@code 30s} or {@code 2m} as milliseconds. */
  public static final class Durations implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim();
      long unit;
      String digits;
      if (v.endsWith("ms")) {
        unit = 1;
        digits = v.substring(0, v.length() - 2);
      } else if (v.endsWith("s")) {
        unit = 1_000;
        digits = v.substring(0, v.length() - 1);
      } else if (v.endsWith("m")) {
        unit = 60_000;
        digits = v.substring(0, v.length() - 1);
      } else {
        throw new CommandLine.TypeConversionException("'" + value + "' needs a unit: ms, s or m (e.g. 30s)");
      }
      try {
        long amount = Long.parseLong(digits.trim());
        if (amount < 0) {
          throw new CommandLine.TypeConversionException("'" + value + "' must not be negative");
        }
        return Math.multiplyExact(amount, unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number of ms, s or m");
      }
    }
  }
}
