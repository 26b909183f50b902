package org.raftref.tracecheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The model-check command line: listing, a wrong configuration name, a run with an expected violation. */
class ModelCheckCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new ModelCheckCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static String specDir() {
    return TlcTestSupport.SPEC_DIR.toString();
  }

  @Test
  void listNamesCiAndEveryMutant() {
    int exit = run("--spec-dir", specDir(), "--list");

    assertEquals(0, exit, err.toString());
    assertTrue(out.toString().contains("ci\tci.cfg\t(module MCRaft)"), out.toString());
    assertTrue(out.toString().contains("mutants/figure8-commit"), out.toString());
  }

  @Test
  void unknownConfigurationIsAUsageErrorThatNamesTheKnownOnes() {
    int exit = run("--spec-dir", specDir(), "no-such-config");

    assertEquals(2, exit);
    assertTrue(err.toString().contains("no TLC configuration named 'no-such-config'"), err.toString());
    assertTrue(err.toString().contains("ci"), err.toString());
    assertFalse(err.toString().contains("Exception"), err.toString());
  }

  @Test
  void simulationOptionsWithoutSimulateAreAUsageError() {
    int exit = run("--spec-dir", specDir(), "ci", "--depth", "50");

    assertEquals(2, exit);
    assertTrue(err.toString().contains("need --simulate"), err.toString());
  }

  @Test
  void expectedViolationOfAMutantSucceedsAndAWrongExpectationFails() {
    String workDir = TlcTestSupport.WORK_ROOT.resolve("command").toString();

    int expected = run("--spec-dir", specDir(), "--work-dir", workDir, "no-step-down-on-higher-term",
        "--expect-violation", "ElectionSafety");
    int wrong = run("--spec-dir", specDir(), "--work-dir", workDir, "no-step-down-on-higher-term",
        "--expect-violation", "LogMatching");

    assertEquals(0, expected, out.toString());
    assertEquals(1, wrong, out.toString());
    assertTrue(out.toString().contains("invariant ElectionSafety is violated"), out.toString());
    assertTrue(out.toString().contains("expected a violation of LogMatching, but TLC reported: ElectionSafety"),
        out.toString());
  }
}
