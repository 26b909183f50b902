package org.raftref.tracecheck.tlc;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One state of the behaviour TLC prints when a property fails.
 *
 * @param number the state's position in the behaviour, from 1 (TLC's numbering)
 * @param label TLC's label of the step into this state, such as
 *     {@code <Timeout line 212, col 5 to line 220, col 57 of module Raft>}, {@code <Initial predicate>} or
 *     {@code Stuttering}
 * @param action the spec action that label points at ({@code Timeout}), or null when there is none (the
 *     initial state) or the label names no action the runner could find
 * @param variables the state as TLC prints it: one {@code /\ var = value} per variable (empty for the
 *     closing step of a liveness counter-example)
 * @param backTo for the last step of a liveness counter-example (a lasso), the number of the earlier
 *     state this step returns to; 0 otherwise
 */
public record TraceState(int number, String label, @Nullable String action, String variables, int backTo) {

  /** A state of the behaviour (not a step back into an earlier one). */
  public TraceState(int number, String label, @Nullable String action, String variables) {
    this(number, label, action, variables, 0);
  }

  /** "State 3: Timeout" and the variables, as a reader wants to see them. */
  public String describe() {
    String step = action != null ? action : label;
    if (backTo > 0) {
      return "Step " + number + ": " + step + ", back to state " + backTo + " (the behaviour repeats from there)";
    }
    return "State " + number + ": " + step + System.lineSeparator() + variables;
  }
}
