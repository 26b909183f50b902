package org.raftref.core;

import java.util.List;
import org.raftref.message.LogEntry;

/** What a node finds on its disk when it (re)starts: its hard state and its log, entry 1 first. */
public record DurableState(HardState hardState, List<LogEntry> log) {

  public static final DurableState EMPTY = new DurableState(HardState.INITIAL, List.of());

  public DurableState {
    log = List.copyOf(log);
    long previous = 0;
    for (int i = 0; i < log.size(); i++) {
      long term = log.get(i).term();
      if (term < Math.max(previous, 1) || term > hardState.currentTerm()) {
        throw new IllegalArgumentException("durable log entry " + (i + 1) + " has term " + term
            + ": terms must be positive, non-decreasing and at most currentTerm " + hardState.currentTerm());
      }
      previous = term;
    }
  }
}
