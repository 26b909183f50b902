package org.raftref.tracecheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.tracecheck.trace.TestTraces;
import picocli.CommandLine;

/** {@code trace-check validate FILE...}: exit 0 valid, 1 invalid, 2 bad input. */
class ValidateCommandTest {

  private static final String SPEC_DIR = System.getProperty("raftref.specDir", "../spec");
  private static final String WORK_DIR =
      Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("cli").toString();

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... files) {
    List<String> args = new ArrayList<>(List.of("validate", "--spec-dir", SPEC_DIR, "--work-dir", WORK_DIR,
        "--tlc-heap", "256m"));
    args.addAll(List.of(files));
    CommandLine cli = new CommandLine(new TraceCheckMain());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args.toArray(String[]::new));
  }

  @Test
  void validTraceExitsZeroAndInvalidOneExitsOne() {
    Path good = TestTraces.write(dir, "good.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    List<String> lines = new ArrayList<>(TestTraces.lines(good));
    // The first Timeout claims a term the node did not reach.
    lines.set(1, lines.get(1).replace("\"currentTerm\":1", "\"currentTerm\":2"));
    Path bad = TestTraces.writeLines(dir.resolve("bad.ndjson"), lines);

    assertEquals(0, run(good.toString()), out + "" + err);
    assertTrue(out.toString().startsWith("VALID " + good + ": " + (lines.size() - 1) + " events replayed"), out.toString());

    assertEquals(1, run(good.toString(), bad.toString()), out + "" + err);
    assertTrue(out.toString().contains("INVALID " + bad + ": event 1 of " + (lines.size() - 1) + " (" + bad
        + " line 2) does not match the spec"), out.toString());
    assertTrue(out.toString().contains("field state.currentTerm: expected 1 (spec), actual 2 (trace)"), out.toString());
    assertEquals("", err.toString());
  }

  @Test
  void unreadableFileIsBadInputInOneLine() {
    Path missing = dir.resolve("missing.ndjson");
    assertEquals(2, run(missing.toString()));
    assertEquals("trace-check: bad input: " + missing + ": cannot read: no such file" + System.lineSeparator(),
        err.toString());
  }

  @Test
  void noFileIsAUsageError() {
    assertEquals(2, run());
    assertTrue(err.toString().startsWith("Missing required parameter: 'FILE'"), err.toString());
  }
}
