package org.raftref.tracecheck.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.tracecheck.cli.TraceCheckMain;
import picocli.CommandLine;

/**
 * The demo through the real {@code trace-check} command line: a short seeded run (without the model check,
 * which {@code ModelCheckCiTest} covers) writes a report and a viewer page and its trace validates; a bug of
 * the zoo injected with {@code --inject} is caught; a wrong option is one line on stderr and exit 2.
 */
class DemoCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = DemoCommand.configure(new CommandLine(new TraceCheckMain()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void shortRunWritesReportAndViewerAndItsTraceIsValid() throws IOException {
    Path outDir = dir.resolve("demo");
    int exit = run("demo", "--seed", "42", "--nodes", "3", "--duration", "2s", "--steps", "400", "--faults", "all",
        "--no-model-check", "--out", outDir.toString());

    String printed = out.toString();
    assertEquals(DemoCommand.EXIT_PASSED, exit, printed + err);
    assertTrue(printed.startsWith("seed 42 "), "the seed comes first: " + printed);
    Path report = outDir.resolve(Demo.REPORT_FILE);
    Path html = outDir.resolve(Demo.HTML_FILE);
    assertTrue(Files.isRegularFile(report), "no report: " + printed);
    assertTrue(Files.isRegularFile(html), "no viewer page: " + printed);
    String text = Files.readString(report, StandardCharsets.UTF_8);
    assertTrue(text.contains("trace validation: VALID in "), text);
    assertTrue(text.contains("leaders per term: "), text);
    assertTrue(text.contains("model check: skipped"), text);
    assertTrue(text.strip().endsWith("verdict: PASSED"), text);
    assertTrue(Files.readString(html, StandardCharsets.UTF_8).contains("<html"), "not an HTML page: " + html);
  }

  @Test
  void clusterSizeOtherThanThreeOrFiveIsOneLineAndExitTwo() {
    int exit = run("demo", "--nodes", "4", "--no-model-check", "--out", dir.toString());

    assertEquals(DemoCommand.EXIT_USAGE, exit);
    assertOneLineNaming("--nodes must be 3 or 5, was 4");
  }

  @Test
  void unknownFaultMixIsOneLineAndExitTwo() {
    int exit = run("demo", "--faults", "meteor", "--out", dir.toString());

    assertEquals(DemoCommand.EXIT_USAGE, exit);
    assertOneLineNaming("--faults");
  }

  @Test
  void unknownOptionIsOneLineAndExitTwo() {
    int exit = run("demo", "--meteor", "--out", dir.toString());

    assertEquals(DemoCommand.EXIT_USAGE, exit);
    assertOneLineNaming("--meteor");
  }

  /**
   * The cheapest bug of the zoo (docs/bug-zoo.md: rejected at event 23): the report says it was caught at that
   * event and action, with the spec's mismatch, and the viewer's page shows the mismatch next to the event.
   */
  @Test
  void injectedBugIsCaughtAndTheViewerShowsTheMismatch() throws IOException {
    Path outDir = dir.resolve("inject");
    int exit = run("demo", "--inject", "prev-log-index-off-by-one", "--no-model-check", "--tlc-heap", "256m",
        "--out", outDir.toString());

    String printed = out.toString();
    assertEquals(DemoCommand.EXIT_PASSED, exit, printed + err);
    String text = Files.readString(outDir.resolve(Demo.REPORT_FILE), StandardCharsets.UTF_8);
    assertTrue(text.contains("injected bug: prev-log-index-off-by-one: "), text);
    assertTrue(text.contains("trace validation: INVALID in "), text);
    String verdict = text.strip().lines().reduce((a, b) -> b).orElseThrow();
    String caught = "verdict: CAUGHT: the injected bug prev-log-index-off-by-one was caught at event 23, "
        + "action AppendEntries: ";
    assertTrue(verdict.startsWith(caught) && verdict.endsWith(" (as expected)"), verdict);
    String mismatch = verdict.substring(caught.length(), verdict.length() - " (as expected)".length());
    assertTrue(!mismatch.isBlank(), verdict);
    String html = Files.readString(outDir.resolve(Demo.HTML_FILE), StandardCharsets.UTF_8);
    String firstMismatchLine = escape(mismatch.split(" \\| ")[0]);
    assertTrue(html.contains(firstMismatchLine), "the page does not show the mismatch '" + firstMismatchLine + "'");
  }

  @Test
  void unknownBugIsOneLineListingTheZoo() {
    int exit = run("demo", "--inject", "no-such-bug", "--no-model-check", "--out", dir.toString());

    assertEquals(DemoCommand.EXIT_USAGE, exit);
    assertOneLineNaming("--inject: no bug named 'no-such-bug' in the bug zoo; known bugs: figure8-commit, ");
    assertTrue(err.toString().contains("prev-log-index-off-by-one"), err.toString());
  }

  /**
   * {@code text} as the viewer's page holds it: inside a JSON string (backslash and quote escaped) whose
   * {@code <}, {@code >} and {@code &} are {@code \\u} escapes (PageData).
   */
  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("<", "\\u003c")
        .replace(">", "\\u003e").replace("&", "\\u0026");
  }

  private void assertOneLineNaming(String expected) {
    String message = err.toString().strip();
    assertTrue(message.startsWith("demo: ") && message.contains(expected), message);
    assertEquals(1, message.lines().count(), message);
    assertEquals("", out.toString(), "nothing runs after a wrong command line");
  }
}
