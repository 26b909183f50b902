package org.raftref.tracecheck.tlc;

import java.time.Duration;

/**
 * A progress report of a running TLC: how many distinct states it found, how many wait in its queue, the
 * depth of the breadth-first search so far, and the time since the run started. In simulation mode TLC
 * counts no distinct states and has no queue: those are -1.
 *
 * @param source where the numbers come from: TLC's own report (once a minute) or a poll of its statistics
 *     bean (every few seconds)
 */
public record TlcProgress(
    Duration elapsed, long distinctStates, long statesGenerated, long queueSize, int depth, Source source) {

  /** Where a progress report comes from. */
  public enum Source {
    TLC_REPORT,
    POLL
  }

  /** One line for a terminal: "00:42  distinct 120,345  queue 8,021  depth 31  generated 812,000". */
  public String describe() {
    long seconds = elapsed.toSeconds();
    StringBuilder s = new StringBuilder(String.format("%02d:%02d", seconds / 60, seconds % 60));
    if (distinctStates >= 0) {
      s.append(String.format("  distinct %,d  queue %,d", distinctStates, queueSize));
    }
    if (depth >= 0) {
      s.append(String.format("  depth %d", depth));
    }
    s.append(String.format("  generated %,d", statesGenerated));
    return s.toString();
  }
}
