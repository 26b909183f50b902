package org.raftref.tracecheck.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.tracecheck.cli.TraceCheckMain;
import org.raftref.tracecheck.trace.TestTraces;
import picocli.CommandLine;

/** {@code trace-check view FILE... -o HTML [--fail-index N --fail-text TEXT]}: exit 0 written, 2 bad input. */
class ViewCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new TraceCheckMain());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void writesThePageAndSaysWhatIsInIt() throws Exception {
    Path trace = TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    int events = TestTraces.lines(trace).size() - 1;
    Path html = dir.resolve("out/view.html");
    assertEquals(0, run("view", trace.toString(), "-o", html.toString(), "--fail-index", "7", "--fail-text",
        "field state.votedFor: expected 0 (spec), actual 1 (trace)"), err.toString());
    String page = Files.readString(html);
    assertTrue(page.contains("\"failure\":{\"index\":7,\"text\":\"field state.votedFor: expected 0 (spec), actual 1"
        + " (trace)\"}"));
    String line = out.toString().strip();
    assertTrue(line.startsWith("wrote " + html + ": " + events + " events, "), line);
    assertTrue(line.contains(" received, 1 dropped, ") && line.contains("; 1 made by duplication)"), line);
    assertTrue(line.endsWith(", " + Files.size(html) + " bytes"), line);
    assertEquals("", err.toString());
  }

  @Test
  void severalFilesAreMergedIntoOneRun() throws Exception {
    Path whole = TestTraces.write(dir, "whole.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    List<Path> parts = TestTraces.splitByNode(whole, dir, List.of(2, 3, 1));
    Path html = dir.resolve("merged.html");
    assertEquals(0, run("view", parts.get(0).toString(), parts.get(1).toString(), parts.get(2).toString(), "-o",
        html.toString()), err.toString());
    assertTrue(out.toString().startsWith("wrote " + html + ": " + (TestTraces.lines(whole).size() - 1) + " events"),
        out.toString());
    assertFalse(out.toString().contains("cannot account for"), out.toString());
  }

  @Test
  void badInputIsOneLineAndExitTwo() throws Exception {
    Path trace = TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    int events = TestTraces.lines(trace).size() - 1;
    Path html = dir.resolve("x.html");

    Path missing = dir.resolve("missing.ndjson");
    assertEquals(2, run("view", missing.toString(), "-o", html.toString()));
    assertEquals("trace-check: bad input: " + missing + ": cannot read: no such file", lastLine());

    assertEquals(2, run("view", trace.toString(), "-o", html.toString(), "--fail-index", "" + (events + 1)));
    assertEquals("trace-check view: the failing event is " + (events + 1) + ", but " + trace + " has " + events
        + " events", lastLine());

    assertEquals(2, run("view", trace.toString(), "-o", html.toString(), "--fail-index", "0"));
    assertEquals("trace-check view: --fail-index is 1-based, was 0", lastLine());

    assertEquals(2, run("view", trace.toString(), "-o", html.toString(), "--fail-text", "x"));
    assertEquals("trace-check view: --fail-text needs --fail-index (the event the text is about)", lastLine());

    Path notADirectory = Files.writeString(dir.resolve("file"), "");
    assertEquals(2, run("view", trace.toString(), "-o", notADirectory.resolve("x.html").toString()));
    assertTrue(lastLine().startsWith("trace-check view: cannot write " + notADirectory.resolve("x.html") + ": "),
        lastLine());

    assertFalse(Files.exists(html), "nothing written on bad input");
  }

  @Test
  void theOutputIsRequired() {
    assertEquals(2, run("view", "any.ndjson"));
    assertTrue(err.toString().startsWith("Missing required option: '--output=HTML'"), err.toString());
  }

  private String lastLine() {
    String[] lines = err.toString().strip().split("\\R");
    return lines[lines.length - 1];
  }
}
