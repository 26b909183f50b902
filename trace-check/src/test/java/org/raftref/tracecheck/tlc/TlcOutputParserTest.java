package org.raftref.tracecheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser reads TLC 2.18's {@code -tool} output; the inputs are excerpts of real runs. */
class TlcOutputParserTest {

  @TempDir
  Path dir;

  private static final String SUCCESS = """
      @!@!@STARTMSG 2185:0 @!@!@
      Starting... (2026-11-27 12:23:14)
      @!@!@ENDMSG 2185 @!@!@
      @!@!@STARTMSG 2200:0 @!@!@
      Progress(43) at 2026-11-27 12:20:02: 1,144,235 states generated (1,105,293 s/min), 188,139 distinct \
      states found (180,374 ds/min), 15,975 states left on queue.
      @!@!@ENDMSG 2200 @!@!@
      @!@!@STARTMSG 2193:0 @!@!@
      Model checking completed. No error has been found.
        Estimates of the probability that TLC did not check all reachable states
      @!@!@ENDMSG 2193 @!@!@
      @!@!@STARTMSG 2199:0 @!@!@
      2087876 states generated, 313396 distinct states found, 0 states left on queue.
      @!@!@ENDMSG 2199 @!@!@
      @!@!@STARTMSG 2194:0 @!@!@
      The depth of the complete state graph search is 67.
      @!@!@ENDMSG 2194 @!@!@
      """;

  private static final String VIOLATION = """
      @!@!@STARTMSG 2110:1 @!@!@
      Invariant ElectionSafety is violated.
      @!@!@ENDMSG 2110 @!@!@
      @!@!@STARTMSG 2121:1 @!@!@
      The behavior up to this point is:
      @!@!@ENDMSG 2121 @!@!@
      @!@!@STARTMSG 2217:4 @!@!@
      1: <Initial predicate>
      /\\ currentTerm = (s1 :> 0 @@ s2 :> 0 @@ s3 :> 0)
      /\\ role = (s1 :> "Follower" @@ s2 :> "Follower" @@ s3 :> "Follower")

      @!@!@ENDMSG 2217 @!@!@
      @!@!@STARTMSG 2217:4 @!@!@
      2: <Timeout line 5, col 5 to line 12, col 40 of module Raft>
      /\\ currentTerm = (s1 :> 1 @@ s2 :> 0 @@ s3 :> 0)
      /\\ role = (s1 :> "Candidate" @@ s2 :> "Follower" @@ s3 :> "Follower")

      @!@!@ENDMSG 2217 @!@!@
      @!@!@STARTMSG 2199:0 @!@!@
      5929 states generated, 1243 distinct states found, 416 states left on queue.
      @!@!@ENDMSG 2199 @!@!@
      @!@!@STARTMSG 2194:0 @!@!@
      The depth of the complete state graph search is 19.
      @!@!@ENDMSG 2194 @!@!@
      """;

  private static final String CONFIG_SYNTAX_ERROR = """
      @!@!@STARTMSG 1000:1 @!@!@
      TLC threw an unexpected exception.
      This was probably caused by an error in the spec or model.
      See the User Output or TLC Console for clues to what happened.
      The exception was a tlc2.tool.ConfigFileException
      : @!@!@STARTMSG 5006:0 @!@!@
      TLC found an error in the configuration file at line 9
      It was expecting = or <-, but did not find it.
      @!@!@ENDMSG 5006 @!@!@
      @!@!@ENDMSG 1000 @!@!@
      """;

  private static final String SEMANTIC_ERROR = """
      @!@!@STARTMSG 2220:0 @!@!@
      Starting SANY...
      @!@!@ENDMSG 2220 @!@!@
      Semantic errors:

      *** Errors: 1

      line 549, col 75 to line 549, col 84 of module Raft

      Unknown operator: `currentTrm'.

      @!@!@STARTMSG 3002:1 @!@!@
      @!@!@ENDMSG 3002 @!@!@
      """;

  private final List<TlcProgress> progress = new ArrayList<>();

  private TlcResult parse(String output, int exitCode) {
    TlcOutputParser parser = new TlcOutputParser();
    for (String line : output.split("\n", -1)) {
      TlcProgress p = parser.accept(line, Duration.ofSeconds(7));
      if (p != null) {
        progress.add(p);
      }
    }
    return parser.result("test", exitCode, Duration.ofSeconds(9), dir, dir.resolve("tlc.out"), "ci.cfg",
        new ActionNames(dir));
  }

  @Test
  void successReportsCountsDepthAndProgress() {
    TlcResult result = parse(SUCCESS, 0);

    assertTrue(result.succeeded(), result.summary());
    assertEquals(313_396, result.distinctStates());
    assertEquals(2_087_876, result.statesGenerated());
    assertEquals(0, result.queueLeft());
    assertEquals(67, result.depth());
    assertEquals(1, progress.size());
    TlcProgress p = progress.get(0);
    assertEquals(188_139, p.distinctStates());
    assertEquals(15_975, p.queueSize());
    assertEquals(43, p.depth());
    assertEquals(Duration.ofSeconds(7), p.elapsed());
    assertEquals(TlcProgress.Source.TLC_REPORT, p.source());
  }

  @Test
  void exitZeroWithoutTheSuccessMessageIsNoSuccess() {
    TlcResult result = parse(SUCCESS.replace("Model checking completed. No error has been found.", "?")
        .replace("2193", "2999"), 0);

    assertFalse(result.succeeded());
  }

  @Test
  void invariantViolationNamesTheInvariantAndKeepsTheBehaviour() {
    TlcResult result = parse(VIOLATION, 12);

    assertFalse(result.succeeded());
    assertEquals(TlcExitCode.INVARIANT_VIOLATED, result.exit());
    assertEquals("invariant", result.violation());
    assertEquals("ElectionSafety", result.violatedProperty());
    assertEquals(2, result.errorTrace().size());
    assertNull(result.errorTrace().get(0).action());
    assertEquals("Timeout", result.errorTrace().get(1).action());
    assertTrue(result.errorTrace().get(1).variables().contains("\"Candidate\""));
    assertEquals(1243, result.distinctStates());
    assertTrue(result.summary().contains("Init -> Timeout"), result.summary());
  }

  @Test
  void actionPropertyViolationIsReadAsSuch() {
    TlcResult result = parse("""
        @!@!@STARTMSG 2112:1 @!@!@
        Action property LeaderAppendOnly is violated.
        @!@!@ENDMSG 2112 @!@!@
        """, 13);

    assertEquals("action property", result.violation());
    assertEquals("LeaderAppendOnly", result.violatedProperty());
  }

  @Test
  void configurationSyntaxErrorNamesTheFileAndLineEvenUnderExit255() {
    TlcResult result = parse(CONFIG_SYNTAX_ERROR, 255);

    TlcParseError error = result.parseError();
    assertNotNull(error);
    assertEquals("ci.cfg", error.file());
    assertEquals(9, error.line());
    assertTrue(error.message().contains("expecting = or <-"), error.message());
    assertTrue(result.errors().isEmpty(), "the general error only wraps the configuration error");
    assertTrue(result.summary().contains("configuration error at ci.cfg:9"), result.summary());
  }

  @Test
  void semanticErrorNamesTheModuleFileLineAndColumn() {
    TlcResult result = parse(SEMANTIC_ERROR, 150);

    TlcParseError error = result.parseError();
    assertNotNull(error);
    assertEquals(new TlcParseError("Raft.tla", 549, 75, "Unknown operator: `currentTrm'."), error);
    assertTrue(result.summary().contains("spec parse error at Raft.tla:549:75"), result.summary());
  }

  @Test
  void livenessCounterExampleEndsWithTheStepBackIntoTheLoop() {
    TlcResult result = parse("""
        @!@!@STARTMSG 2116:1 @!@!@
        Temporal properties were violated.

        @!@!@ENDMSG 2116 @!@!@
        @!@!@STARTMSG 2264:1 @!@!@
        The following behavior constitutes a counter-example:

        @!@!@ENDMSG 2264 @!@!@
        @!@!@STARTMSG 2217:4 @!@!@
        1: <Initial predicate>
        /\\ x = 0

        @!@!@ENDMSG 2217 @!@!@
        @!@!@STARTMSG 2217:4 @!@!@
        2: <Persist line 3, col 5 to line 4, col 9 of module Raft>
        /\\ x = 1

        @!@!@ENDMSG 2217 @!@!@
        @!@!@STARTMSG 2122:4 @!@!@
        2: Back to state: <Persist line 3, col 5 to line 4, col 9 of module Raft>

        @!@!@ENDMSG 2122 @!@!@
        """, 13);

    assertEquals("temporal properties", result.violation());
    assertNull(result.violatedProperty());
    assertTrue(result.errors().isEmpty(), "the counter-example header is no error: " + result.errors());
    assertEquals(3, result.errorTrace().size());
    TraceState back = result.errorTrace().get(2);
    assertEquals(2, back.backTo());
    assertEquals("Persist", back.action());
    assertTrue(result.summary().contains("behaviour of 2 states: Init -> Persist -> Persist (back to state 2)"),
        result.summary());
  }
}
