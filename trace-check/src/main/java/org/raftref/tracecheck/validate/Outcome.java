package org.raftref.tracecheck.validate;

import java.nio.file.Path;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.tracecheck.trace.TraceEvent;

/** What validating one trace found: the trace is valid, or it is not and here is the first event that failed. */
public sealed interface Outcome {

  /** The trace validated: all its events replayed through the spec. */
  record Valid(String trace, int events, long depth, long statesGenerated, long millis, Path workDir)
      implements Outcome {
    @Override
    public String report() {
      return "VALID " + trace + ": " + events + " events replayed, TLC depth " + depth + ", " + statesGenerated
          + " states generated, " + millis + " ms";
    }
  }

  /**
   * The replay stopped at {@code event} ({@code index}, 1-based, in the replayed order), or TLC failed.
   *
   * @param reasons what the spec says about the event: guards that do not hold, or fields that differ
   *     (expected = spec, actual = trace); or TLC's error
   * @param eventLine the event's ndjson line as it is in its file
   * @param previous the previous event of the same node, if any, and its line
   * @param kept the copies of the trace files and TLC's outputs kept for a closer look
   */
  record Invalid(String trace, int events, int index, @Nullable TraceEvent event, String eventLine,
      List<String> reasons, @Nullable TraceEvent previous, String previousLine, List<Path> kept)
      implements Outcome {
    @Override
    public String report() {
      StringBuilder s = new StringBuilder("INVALID ").append(trace).append(": ");
      TraceEvent e = event;
      if (e == null) {
        s.append("TLC could not replay the trace (").append(events).append(" events)\n");
      } else {
        s.append("event ").append(index).append(" of ").append(events).append(" (").append(e.where())
            .append(") does not match the spec\n");
        s.append("  event: ").append(e.action()).append(e.node() != 0 ? " on node " + e.node() : "")
            .append('\n');
        s.append("    ").append(eventLine).append('\n');
      }
      for (String reason : reasons) {
        s.append("  ").append(reason).append('\n');
      }
      TraceEvent p = previous;
      if (e != null) {
        if (p == null) {
          s.append("  previous event of node ").append(e.owner()).append(": none\n");
        } else {
          s.append("  previous event of node ").append(e.owner()).append(": ").append(p.action()).append(" (")
              .append(p.where()).append(")\n    ").append(previousLine).append('\n');
        }
      }
      for (Path path : kept) {
        s.append("  kept: ").append(path).append('\n');
      }
      return s.toString().stripTrailing();
    }
  }

  /** What a user reads: one line for a valid trace, a few for an invalid one. */
  String report();
}
