package org.raftref.tracecheck.validate;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceMerger;
import org.raftref.tracecheck.trace.TraceReader;
import tlc2.overrides.TLAPlusOperator;
import tlc2.value.impl.Value;

/**
 * The Java definition of {@code TraceEvents} (spec/TraceData.tla) that TLC uses instead of the module's
 * placeholder: it reads the trace files named by the system property {@value #TRACE_FILES} (separated by
 * the platform's path separator), merges them as trace-check did, and returns the events as TLC values.
 *
 * <p>Runs inside the forked TLC JVM. Reading happens once; TLC then indexes the same sequence at every step.
 */
public final class TraceDataOverride {

  /** The system property that names the trace files, as {@code File.pathSeparator}-separated paths. */
  public static final String TRACE_FILES = "raftref.trace";

  private static @Nullable Value events;

  private TraceDataOverride() {}

  @TLAPlusOperator(identifier = "TraceEvents", module = "TraceData", warn = false)
  public static synchronized Value traceEvents() {
    Value read = events;
    if (read == null) {
      read = TlaValues.events(readTrace());
      events = read;
    }
    return read;
  }

  private static Trace readTrace() {
    String files = System.getProperty(TRACE_FILES);
    if (files == null || files.isEmpty()) {
      throw new IllegalStateException("TraceEvents: the system property " + TRACE_FILES + " names no trace");
    }
    List<Trace> traces = new ArrayList<>();
    try {
      for (String file : files.split(File.pathSeparator)) {
        traces.add(TraceReader.read(Path.of(file)));
      }
      return TraceMerger.merge(traces);
    } catch (TraceInputException e) {
      // trace-check read the same files before starting TLC; they changed in between.
      throw new IllegalStateException("TraceEvents: " + e.getMessage(), e);
    }
  }
}
