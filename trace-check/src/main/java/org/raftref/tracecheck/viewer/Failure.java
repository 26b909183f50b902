package org.raftref.tracecheck.viewer;

import java.util.List;
import java.util.Optional;
import org.raftref.tracecheck.validate.Outcome;

/**
 * The event at which trace validation stopped, and what the spec said about it: the viewer highlights that
 * event and shows the text next to it.
 *
 * @param eventIndex the failing event's 1-based position in the trace as validated (for a merged trace, in the
 *     merged order); {@link TraceViewer} checks that the trace has that many events
 * @param mismatch what did not match, as the validator reports it (several lines allowed); shown as text,
 *     never interpreted as markup
 */
public record Failure(int eventIndex, String mismatch) {

  public Failure {
    if (eventIndex < 1) {
      throw new IllegalArgumentException("the failing event's index is 1-based, was " + eventIndex);
    }
  }

  /**
   * The failure an invalid validation outcome names, or empty when TLC failed before reaching any event
   * (then there is no event to highlight).
   */
  public static Optional<Failure> of(Outcome.Invalid invalid) {
    if (invalid.event() == null) {
      return Optional.empty();
    }
    List<String> reasons = invalid.reasons();
    return Optional.of(new Failure(invalid.index(),
        reasons.isEmpty() ? "the spec has no step for this event" : String.join("\n", reasons)));
  }
}
