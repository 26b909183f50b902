package org.raftref.tracecheck.viewer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceMerger;
import org.raftref.tracecheck.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trace-check view TRACE.ndjson -o out.html [--fail-index N --fail-text TEXT]}: writes the trace viewer's
 * page ({@link TraceViewer}) for a trace, or for several files merged into one run.
 *
 * <p>Exit status: 0 the page was written; 2 bad input (a file that is not a readable trace, a failing event
 * the trace does not have, an output that cannot be written: one line on stderr), or a wrong command line.
 */
@Command(
    name = "view",
    sortOptions = false,
    description = "Writes a self-contained HTML page with a space-time diagram of a trace (docs/trace-viewer.md)."
        + " Exit 0: written; 2: bad input.")
public final class ViewCommand implements Callable<Integer> {

  static final int EXIT_WRITTEN = 0;
  static final int EXIT_BAD_INPUT = 2;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The trace; several files are merged into one"
      + " run as `validate --merge` does.")
  private List<Path> files = new ArrayList<>();

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "HTML", description = "The page to write.")
  private Path output = Path.of("trace.html");

  @Option(names = "--fail-index", paramLabel = "N", description = "The event validation stopped at (1-based, as"
      + " `validate` reports it): highlighted, and shown first.")
  private @Nullable Integer failIndex;

  @Option(names = "--fail-text", paramLabel = "TEXT", description = "What did not match at --fail-index, shown"
      + " next to the event.")
  private @Nullable String failText;

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Integer index = failIndex;
    if (index == null && failText != null) {
      err.println("trace-check view: --fail-text needs --fail-index (the event the text is about)");
      return EXIT_BAD_INPUT;
    }
    if (index != null && index < 1) {
      err.println("trace-check view: --fail-index is 1-based, was " + index);
      return EXIT_BAD_INPUT;
    }
    Optional<Failure> failure = index == null ? Optional.empty()
        : Optional.of(new Failure(index, failText != null ? failText : "(no mismatch text given)"));
    try {
      List<Trace> parts = new ArrayList<>();
      for (Path file : files) {
        parts.add(TraceReader.read(file));
      }
      Trace trace = parts.size() == 1 ? parts.get(0) : TraceMerger.merge(parts);
      TraceViewer.Page page = TraceViewer.write(trace, failure, output);
      out.println(summary(page));
      out.flush();
      return EXIT_WRITTEN;
    } catch (TraceInputException e) {
      err.println("trace-check: bad input: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      err.println("trace-check view: " + e.getMessage());
    } catch (IOException e) {
      err.println("trace-check view: cannot write " + output + ": " + e);
    }
    err.flush();
    return EXIT_BAD_INPUT;
  }

  /** "wrote out.html: 73 events, 40 message copies (31 received, 4 dropped, ...), 61234 bytes". */
  static String summary(TraceViewer.Page page) {
    MessageFlows flows = page.flows();
    StringBuilder s = new StringBuilder("wrote ").append(page.file()).append(": ").append(page.events())
        .append(" events, ").append(flows.flights().size()).append(" message copies (");
    String separator = "";
    for (Map.Entry<Flight.Fate, Integer> e : flows.countByFate().entrySet()) {
      s.append(separator).append(e.getValue()).append(' ').append(e.getKey().label().replace('_', ' '));
      separator = ", ";
    }
    s.append("; ").append(flows.duplicates()).append(" made by duplication)");
    if (!flows.anomalies().isEmpty()) {
      s.append(", ").append(flows.anomalies().size()).append(" events the network cannot account for");
    }
    return s.append(", ").append(page.bytes()).append(" bytes").toString();
  }
}
