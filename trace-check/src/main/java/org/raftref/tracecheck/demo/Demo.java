package org.raftref.tracecheck.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.sim.FaultSchedule;
import org.raftref.sim.RandomSchedules;
import org.raftref.sim.RunSummary;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;
import org.raftref.tracecheck.tlc.ModelConfiguration;
import org.raftref.tracecheck.tlc.TlcOptions;
import org.raftref.tracecheck.tlc.TlcResult;
import org.raftref.tracecheck.tlc.TlcRunner;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceReader;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.validate.TlcProcess;
import org.raftref.tracecheck.validate.TraceValidator;
import org.raftref.tracecheck.viewer.Failure;
import org.raftref.tracecheck.viewer.TraceViewer;

/**
 * The main job, end to end: every check of the project on one seeded run.
 *
 * <ol>
 *   <li>simulate a cluster under faults ({@link ScheduledRun}, docs/simulator.md), writing its trace;</li>
 *   <li>validate the trace with TLC ({@link TraceValidator}: one TLA+ action per event, docs/steps.md);</li>
 *   <li>model-check the spec's {@code ci} configuration ({@link TlcRunner});</li>
 *   <li>write the trace viewer's page ({@link TraceViewer}) and a text report.</li>
 * </ol>
 *
 * Each step prints what it is doing as it goes; the seed comes first, so any run can be repeated.
 */
public final class Demo {

  /** File names inside the output directory. */
  static final String TRACE_FILE = "trace.ndjson";
  static final String HTML_FILE = "trace.html";
  static final String REPORT_FILE = "report.txt";

  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private final DemoSettings settings;
  private final PrintWriter out;

  public Demo(DemoSettings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Runs the four steps.
   *
   * @throws IOException if the output directory cannot be written or TLC cannot be started
   * @throws TraceInputException if the simulator's own trace does not read back (a bug in the trace writer)
   */
  public DemoReport run() throws IOException, TraceInputException {
    Path outDir = Files.createDirectories(settings.outDir());
    Path traceFile = outDir.resolve(TRACE_FILE);
    say("seed " + settings.seed() + " (replay: demo " + settings.simulatorArgs() + ")");

    say("[1/4] simulating " + settings.nodes() + " nodes under faults (" + settings.faults().label() + ")");
    RunSummary simulation = simulate(traceFile);
    say("  " + simulation.traceEvents() + " events written to " + traceFile);

    say("[2/4] validating the trace with TLC (spec/TraceRaft.tla: one action per event)");
    Trace trace = TraceReader.read(traceFile);
    TraceValidator validator = new TraceValidator(settings.specDir(), outDir.resolve("tlc"),
        TraceValidator.Input.OVERRIDE, TlcProcess.forked(settings.tlcHeap()));
    long started = System.nanoTime();
    Outcome validation;
    try (Ticker ticker = new Ticker("TLC replaying " + trace.events().size() + " events", PROGRESS_INTERVAL,
        this::say)) {
      validation = validator.validate(trace);
    }
    long validationMillis = (System.nanoTime() - started) / 1_000_000;
    say("  " + firstLine(validation.report()));

    TlcResult modelCheck = null;
    if (settings.modelCheck()) {
      say("[3/4] model-checking the spec (configuration " + DemoSettings.MODEL_CONFIGURATION
          + ", exhaustive, 1 worker; takes a minute or two)");
      modelCheck = modelCheck(outDir.resolve("tlc"));
      say("  " + firstLine(modelCheck.summary()));
    } else {
      say("[3/4] model check skipped (--no-model-check)");
    }

    say("[4/4] writing the report");
    Optional<Failure> failure = validation instanceof Outcome.Invalid invalid ? Failure.of(invalid)
        : Optional.empty();
    Path html = TraceViewer.write(trace, failure, outDir.resolve(HTML_FILE)).file();
    DemoReport report = new DemoReport(settings, simulation, validation, validationMillis, modelCheck,
        traceFile, html, outDir.resolve(REPORT_FILE));
    List<String> lines = report.lines();
    Files.write(report.reportFile(), lines, StandardCharsets.UTF_8);
    out.println();
    for (String line : lines) {
      out.println(line);
    }
    out.println("report: " + report.reportFile());
    out.flush();
    return report;
  }

  private RunSummary simulate(Path traceFile) {
    RandomSchedules.Generated generated = RandomSchedules.generate(settings.seed(), settings.nodes(),
        settings.durationMillis(), settings.faults());
    FaultSchedule schedule = generated.schedule();
    SimParams params = SimParams.DEFAULTS;
    List<Integer> members = new ArrayList<>();
    for (int i = 1; i <= schedule.nodes(); i++) {
      members.add(i);
    }
    NdjsonSink sink = NdjsonSink.toFile(traceFile,
        new TraceHeader(members, params.maxEntriesPerAppend(), "demo " + settings.simulatorArgs()));
    RunSummary summary;
    try {
      ScheduledRun run = new ScheduledRun(settings.seed(), schedule, params, ScheduledRun.livenessBoundMillis(params),
          settings.maxSteps(), sink);
      say("  " + run.cluster().describe() + " " + generated.describe());
      summary = run.run();
    } finally {
      sink.close();
    }
    return summary;
  }

  /** Runs the {@code ci} model check, printing TLC's progress (also used by {@link InjectedBugDemo}). */
  TlcResult modelCheck(Path workRoot) throws IOException {
    ModelConfiguration config = ModelConfiguration.named(settings.specDir(), DemoSettings.MODEL_CONFIGURATION);
    TlcOptions options = TlcOptions.defaults().withWorkers(1).withHeap(settings.tlcHeap())
        .withPollInterval(PROGRESS_INTERVAL);
    return new TlcRunner(workRoot).check(config, options, progress -> say("  " + progress.describe()));
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static String firstLine(@Nullable String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl).stripTrailing();
  }
}
