package org.raftref.tracecheck.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.tracecheck.tlc.TlcResult;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceReader;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.viewer.Failure;
import org.raftref.tracecheck.viewer.TraceViewer;
import org.raftref.tracecheck.zoo.Bug;
import org.raftref.tracecheck.zoo.Patch;
import org.raftref.tracecheck.zoo.Zoo;
import org.raftref.tracecheck.zoo.ZooRun;

/**
 * {@code demo --inject BUG}: the demo with a known bug of the bug zoo (docs/bug-zoo.md) compiled into the core,
 * so that a reader sees what a failing validation looks like. The bug's own scenario replaces the seeded
 * simulation (the zoo found it to exercise the bug); the checks are the demo's. The expected outcome is an
 * INVALID trace whose first bad event the report and the viewer's page show: the demo passes when the bug is
 * caught.
 */
final class InjectedBugDemo {

  private final Bug bug;
  private final DemoSettings settings;
  private final PrintWriter out;

  InjectedBugDemo(Bug bug, DemoSettings settings, PrintWriter out) {
    this.bug = bug;
    this.settings = settings;
    this.out = out;
  }

  /** What the run found; {@link #caught()} is the demo's verdict. */
  record Result(Outcome validation, List<String> lines) {

    /** Trace validation rejected the run at an event (the injected bug was caught). */
    boolean caught() {
      return caught(validation);
    }

    static boolean caught(Outcome validation) {
      return validation instanceof Outcome.Invalid invalid && invalid.event() != null;
    }
  }

  /**
   * Compiles the mutant, runs the bug's scenario, validates its trace, model-checks the spec (unless skipped)
   * and writes the report and the viewer's page.
   *
   * @throws IOException if the output directory cannot be written or TLC cannot be started
   * @throws TraceInputException if the mutant's trace does not read back
   */
  Result run() throws IOException, TraceInputException {
    Path outDir = Files.createDirectories(settings.outDir());
    say("injecting bug " + bug.name() + ": " + bug.title());
    say("[1/4] compiling the core with the bug's patch and simulating its scenario ("
        + bug.scenario().replay() + ", batch " + bug.scenario().maxEntriesPerAppend() + ")");
    Zoo zoo = new Zoo(outDir, settings.specDir(), outDir.resolve("tlc"), settings.tlcHeap());
    Zoo.Result simulated = zoo.run(bug);
    Path traceFile = simulated.trace();
    ZooRun run = simulated.run();
    say("  " + run.traceEvents() + " events written to " + traceFile + "; simulator: " + run.verdict());

    say("[2/4] validating the trace with TLC (spec/TraceRaft.tla: one action per event)");
    Trace trace = TraceReader.read(traceFile);
    long started = System.nanoTime();
    Outcome validation = zoo.validate(traceFile);
    long validationMillis = (System.nanoTime() - started) / 1_000_000;
    say("  " + firstLine(validation.report()));

    TlcResult modelCheck = null;
    Demo demo = new Demo(settings, out);
    if (settings.modelCheck()) {
      say("[3/4] model-checking the spec (configuration " + DemoSettings.MODEL_CONFIGURATION
          + ", exhaustive, 1 worker; takes a minute or two): the spec is not mutated, so it still passes");
      modelCheck = demo.modelCheck(outDir.resolve("tlc"));
      say("  " + firstLine(modelCheck.summary()));
    } else {
      say("[3/4] model check skipped (--no-model-check)");
    }

    say("[4/4] writing the report");
    Optional<Failure> failure = validation instanceof Outcome.Invalid invalid ? Failure.of(invalid)
        : Optional.empty();
    Path html = TraceViewer.write(trace, failure, outDir.resolve(Demo.HTML_FILE)).file();
    List<String> lines = lines(run, traceFile, validation, validationMillis, failure, modelCheck, html,
        Result.caught(validation));
    Path reportFile = outDir.resolve(Demo.REPORT_FILE);
    Files.write(reportFile, lines, StandardCharsets.UTF_8);
    out.println();
    for (String line : lines) {
      out.println(line);
    }
    out.println("report: " + reportFile);
    out.flush();
    return new Result(validation, lines);
  }

  private List<String> lines(ZooRun run, Path traceFile, Outcome validation, long validationMillis,
      Optional<Failure> failure, @Nullable TlcResult modelCheck, Path html, boolean caught) {
    List<String> lines = new ArrayList<>();
    lines.add("== raftref demo report: injected bug ==");
    lines.add("injected bug: " + bug.name() + ": " + bug.title());
    lines.add("source: " + bug.source());
    for (Patch patch : bug.patches()) {
      lines.add("patch of " + patch.file() + ": " + oneLine(patch.search()) + "  ->  " + oneLine(patch.replace()));
    }
    lines.add("scenario: simulator " + bug.scenario().replay() + ", batch " + bug.scenario().maxEntriesPerAppend());
    lines.add("events: " + run.traceEvents() + " in " + traceFile);
    lines.add("simulator invariants: " + (run.failure() == null ? "held after every step"
        : run.verdict() + ": " + run.failureDetail()));
    lines.add(String.format("trace validation: %s in %.1f s",
        validation instanceof Outcome.Valid ? "VALID" : "INVALID", validationMillis / 1000.0));
    if (validation instanceof Outcome.Invalid) {
      for (String line : validation.report().split("\n")) {
        lines.add("  " + line);
      }
    }
    if (modelCheck == null) {
      lines.add("model check: skipped (--no-model-check)");
    } else {
      lines.add(String.format("model check %s: %s, %,d distinct states, depth %d, %d s",
          modelCheck.configuration(), DemoReport.modelCheckPassed(modelCheck) ? "no error found" : "FAILED",
          modelCheck.distinctStates(), modelCheck.depth(), modelCheck.elapsed().toSeconds()));
    }
    lines.add("trace viewer: " + html + (failure.isPresent() ? " (the failing event is highlighted)" : ""));
    TraceEvent event = validation instanceof Outcome.Invalid invalid ? invalid.event() : null;
    if (caught && event != null) {
      lines.add("verdict: CAUGHT: the injected bug " + bug.name() + " was caught at event " + ((Outcome.Invalid) validation).index()
          + ", action " + event.action() + ": " + oneLine(failure.map(Failure::mismatch).orElse(""))
          + " (as expected)");
    } else {
      lines.add("verdict: NOT CAUGHT: trace validation did not reject the run of the injected bug " + bug.name());
    }
    return lines;
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\n\\s*", " | ");
  }

  private static String firstLine(@Nullable String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl).stripTrailing();
  }
}
