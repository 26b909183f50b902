package org.raftref.tracecheck.zoo;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a simulator run of a (perhaps mutated) core did, in parent-loader types so that the caller can read it.
 *
 * @param traceEvents events written to the trace
 * @param steps simulated steps (node inputs) of the whole run
 * @param failure the simulator's verdict if the run failed: an invariant's name (e.g. {@code LogMatching}),
 *     {@code Liveness}, {@code BoundedWork}, or {@code Exception} if the core threw
 * @param failureStep the step at which it failed, -1 if it did not
 * @param failureDetail the simulator's message
 */
public record ZooRun(long traceEvents, long steps, @Nullable String failure, long failureStep, String failureDetail) {

  /** One phrase for the table: what the simulator's own checks said. */
  public String verdict() {
    return failure == null ? "passed" : failure + " at step " + failureStep;
  }
}
