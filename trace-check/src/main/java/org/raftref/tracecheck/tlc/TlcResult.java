package org.raftref.tracecheck.tlc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The outcome of one TLC run, read from its output.
 *
 * @param configuration the name of what was checked (a model configuration such as {@code ci})
 * @param exitCode TLC's exit code; {@link #exit()} says what it means
 * @param completed TLC printed "Model checking completed. No error has been found." (a simulation, which
 *     prints no such line, completed when it exited 0 without an error)
 * @param distinctStates distinct states found (-1 if TLC did not say, as in simulation)
 * @param statesGenerated states generated (-1 if TLC did not say)
 * @param queueLeft states left on the queue at the end (-1 if TLC did not say)
 * @param depth the depth of the complete state graph search (-1 if TLC did not say)
 * @param violation the kind of the property that failed: "invariant", "action property", "temporal
 *     properties", "deadlock", or null
 * @param violatedProperty the name of the invariant or action property that failed, or null
 * @param errorTrace the behaviour TLC printed that leads to the failure, first state first (empty without
 *     a failure)
 * @param errors TLC's error messages other than the violation itself, in its words
 * @param parseError where the spec or the configuration does not parse, or null
 * @param elapsed wall time of the run
 * @param workDir the directory TLC ran in (its copies of the modules and the configuration)
 * @param output the file holding everything TLC printed
 */
public record TlcResult(
    String configuration,
    int exitCode,
    boolean completed,
    long distinctStates,
    long statesGenerated,
    long queueLeft,
    int depth,
    @Nullable String violation,
    @Nullable String violatedProperty,
    List<TraceState> errorTrace,
    List<String> errors,
    @Nullable TlcParseError parseError,
    Duration elapsed,
    Path workDir,
    Path output) {

  public TlcResult {
    errorTrace = List.copyOf(errorTrace);
    errors = List.copyOf(errors);
  }

  public TlcExitCode exit() {
    return TlcExitCode.of(exitCode);
  }

  /** TLC exited 0 and said it found no error. (Whether it explored enough is the caller's to check.) */
  public boolean succeeded() {
    return exitCode == 0 && completed && violation == null && errors.isEmpty() && parseError == null;
  }

  /** A few lines for a person: the verdict, the numbers, the failure and where the output is. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    String nl = System.lineSeparator();
    s.append(configuration).append(": ");
    if (succeeded()) {
      s.append("no error found");
    } else if (parseError != null) {
      s.append(exit() == TlcExitCode.CONFIG_PARSE_ERROR || parseError.file().endsWith(".cfg")
          ? "configuration error" : "spec parse error").append(" at ").append(parseError.describe());
    } else if (violatedProperty != null) {
      s.append(violation).append(' ').append(violatedProperty).append(" is violated");
    } else if (violation != null) {
      s.append(violation).append(" violated");
    } else {
      s.append("TLC failed (exit ").append(exitCode).append(": ").append(exit().meaning()).append(')');
    }
    s.append(nl).append(String.format("  exit %d (%s), %s distinct states, %s generated, depth %s, %d s",
        exitCode, exit().meaning(), count(distinctStates), count(statesGenerated),
        depth < 0 ? "?" : String.valueOf(depth), elapsed.toSeconds()));
    if (!errorTrace.isEmpty()) {
      long states = errorTrace.stream().filter(t -> t.backTo() == 0).count();
      s.append(nl).append("  behaviour of ").append(states).append(" states: ");
      for (TraceState state : errorTrace) {
        s.append(state.number() == 1 ? "" : " -> ")
            .append(state.action() != null ? state.action() : state.number() == 1 ? "Init" : state.label());
        if (state.backTo() > 0) {
          s.append(" (back to state ").append(state.backTo()).append(')');
        }
      }
    }
    for (String error : errors) {
      s.append(nl).append("  TLC: ").append(error.strip().replace(nl, nl + "       "));
    }
    s.append(nl).append("  output: ").append(output);
    return s.toString();
  }

  private static String count(long n) {
    return n < 0 ? "?" : String.format("%,d", n);
  }
}
