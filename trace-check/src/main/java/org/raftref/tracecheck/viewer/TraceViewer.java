package org.raftref.tracecheck.viewer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.raftref.tracecheck.trace.Trace;

/**
 * The trace viewer: turns a trace (and, if validation failed, the failing event and its mismatch text) into
 * one self-contained HTML page that draws a space-time diagram of the run. See {@code docs/trace-viewer.md}.
 *
 * <p>The page needs no network and loads nothing: its script, style and data are inline. Opening it in a
 * browser shows one lane per node (banded by role, labelled with terms), a mark per event, an arrow per
 * message copy from the {@code Persist} that sent it to the event that received or dropped it, and a side
 * panel with the fields and post-state of the event clicked.
 *
 * <p>Use from Java (the demo does):
 * <pre>{@code
 * Trace trace = TraceReader.read(Path.of("run.ndjson"));
 * TraceViewer.write(trace, Failure.of(invalidOutcome), Path.of("target/report/trace.html"));
 * }</pre>
 */
public final class TraceViewer {

  private TraceViewer() {}

  /** What writing a page produced, for a one-line report. */
  public record Page(Path file, long bytes, int events, MessageFlows flows) {}

  /**
   * The page for {@code trace}, highlighting {@code failure} if present.
   *
   * @throws IllegalArgumentException if the failure names an event the trace does not have
   */
  public static String html(Trace trace, Optional<Failure> failure) {
    failure.ifPresent(f -> checkIndex(trace, f));
    MessageFlows flows = NetworkReplay.replay(trace);
    return PageTemplate.page(PageData.json(trace, flows, failure.orElse(null)));
  }

  /**
   * Writes the page for {@code trace} to {@code out} (UTF-8), creating its directory if needed.
   *
   * @throws IllegalArgumentException if the failure names an event the trace does not have
   * @throws IOException if the file cannot be written
   */
  public static Page write(Trace trace, Optional<Failure> failure, Path out) throws IOException {
    failure.ifPresent(f -> checkIndex(trace, f));
    MessageFlows flows = NetworkReplay.replay(trace);
    byte[] page = PageTemplate.page(PageData.json(trace, flows, failure.orElse(null)))
        .getBytes(StandardCharsets.UTF_8);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(out, page);
    return new Page(out, page.length, trace.events().size(), flows);
  }

  private static void checkIndex(Trace trace, Failure failure) {
    int events = trace.events().size();
    if (failure.eventIndex() > events) {
      throw new IllegalArgumentException("the failing event is " + failure.eventIndex() + ", but " + trace.name()
          + " has " + events + " events");
    }
  }
}
