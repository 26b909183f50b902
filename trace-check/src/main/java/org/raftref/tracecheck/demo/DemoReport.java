package org.raftref.tracecheck.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.sim.RunSummary;
import org.raftref.tracecheck.tlc.TlcResult;
import org.raftref.tracecheck.validate.Outcome;

/**
 * What one demo run found: the simulation, the validation of its trace, and (unless skipped) the model
 * check of the spec.
 *
 * @param simulation the simulator's summary (leaders per term, commits, its own invariant verdict)
 * @param validation the trace validation's outcome
 * @param validationMillis wall time of the validation, both TLC runs included
 * @param modelCheck the {@code ci} model check, or null when it was skipped
 * @param trace the ndjson trace the simulator wrote
 * @param html the trace viewer's page
 * @param reportFile where these lines were written
 */
public record DemoReport(DemoSettings settings, RunSummary simulation, Outcome validation, long validationMillis,
    @Nullable TlcResult modelCheck, Path trace, Path html, Path reportFile) {

  /** The trace matched the spec, the simulator's invariants held, and the model check (if run) found no error. */
  public boolean passed() {
    TlcResult m = modelCheck;
    return simulation.passed() && validation instanceof Outcome.Valid && (m == null || modelCheckPassed(m));
  }

  /** TLC said it found no error, and it explored something: a run that checked no state proves nothing. */
  static boolean modelCheckPassed(TlcResult result) {
    return result.succeeded() && result.distinctStates() > 0;
  }

  /** "VALID" or "INVALID". */
  public String verdict() {
    return validation instanceof Outcome.Valid ? "VALID" : "INVALID";
  }

  /** The report, a few lines for a person; the last line is the overall verdict. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("== raftref demo report ==");
    lines.add("seed " + settings.seed() + ", " + settings.nodes() + " nodes, faults " + settings.faults().label()
        + ", replay the simulation: simulator " + settings.simulatorArgs());
    lines.add("events: " + simulation.traceEvents() + " in " + trace);
    for (String line : simulation.lines()) {
      if (line.startsWith("leaders per term") || line.startsWith("commits") || line.startsWith("faults")
          || line.startsWith("messages")) {
        lines.add(line);
      }
    }
    lines.add("simulator invariants: " + (simulation.passed() ? "held after every step"
        : simulation.verdictLine().substring("verdict: ".length())));
    lines.add(String.format("trace validation: %s in %.1f s", verdict(), validationMillis / 1000.0));
    if (validation instanceof Outcome.Invalid) {
      for (String line : validation.report().split("\n")) {
        lines.add("  " + line);
      }
    }
    TlcResult m = modelCheck;
    if (m == null) {
      lines.add("model check: skipped (--no-model-check)");
    } else {
      lines.add(String.format("model check %s: %s, %,d distinct states (%,d generated), depth %d, %d s",
          m.configuration(), modelCheckPassed(m) ? "no error found" : "FAILED", m.distinctStates(),
          m.statesGenerated(), m.depth(), m.elapsed().toSeconds()));
      if (!modelCheckPassed(m)) {
        for (String line : m.summary().split(System.lineSeparator())) {
          lines.add("  " + line);
        }
      }
    }
    lines.add("trace viewer: " + html);
    lines.add("verdict: " + (passed() ? "PASSED" : "FAILED"));
    return lines;
  }
}
