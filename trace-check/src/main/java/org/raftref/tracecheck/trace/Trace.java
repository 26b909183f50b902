package org.raftref.tracecheck.trace;

import java.nio.file.Path;
import java.util.List;
import org.raftref.trace.TraceHeader;

/**
 * A trace read from one file, or several merged: the cluster it ran on and its events in order.
 *
 * @param files the files it was read from, in the order given
 */
public record Trace(List<Path> files, TraceHeader header, List<TraceEvent> events) {

  public Trace {
    files = List.copyOf(files);
    events = List.copyOf(events);
  }

  /** "run.ndjson", or "a.ndjson + b.ndjson" for a merged trace. */
  public String name() {
    StringBuilder name = new StringBuilder();
    for (Path file : files) {
      name.append(name.length() == 0 ? "" : " + ").append(file);
    }
    return name.toString();
  }
}
