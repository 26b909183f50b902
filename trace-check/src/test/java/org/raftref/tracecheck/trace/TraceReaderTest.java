package org.raftref.tracecheck.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;

/** {@link TraceReader} reads what NdjsonSink writes, and names every kind of bad input in one line. */
class TraceReaderTest {

  @TempDir
  Path dir;

  private Path good;
  private List<String> goodLines;

  @BeforeEach
  void writeGoodTrace() {
    good = TestTraces.write(dir, "good.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    goodLines = TestTraces.lines(good);
  }

  @Test
  void readsEveryEventOfARealTraceWithItsFields() throws TraceInputException {
    Trace trace = TraceReader.read(good);
    assertEquals(List.of(1, 2, 3), trace.header().members());
    assertEquals(2, trace.header().maxEntriesPerAppend());
    assertEquals(goodLines.size() - 1, trace.events().size());

    TraceEvent timeout = trace.events().get(0);
    assertEquals(TraceAction.Timeout, timeout.action());
    assertEquals(2, timeout.line());
    assertEquals(1, timeout.node());
    assertEquals(new NodeState(1, 1, "Candidate", 0, List.of(), new java.util.TreeMap<>(),
        new java.util.TreeMap<>(), new java.util.TreeSet<>(List.of(1))), timeout.state());

    // The leader's first AppendEntries to node 2 carries its no-op entry, digest "".
    TraceEvent append = trace.events().stream().filter(e -> e.action() == TraceAction.AppendEntries)
        .findFirst().orElseThrow();
    assertEquals(new TracedMessage.AppendEntriesRequest(1, 2, 1, 0, 0, List.of(new TracedEntry(1, "")), 0),
        append.sent());
    assertEquals(2, append.peer());
    NodeState leader = append.state();
    assertNotNull(leader);
    assertEquals(List.of(new LogRun(1, 1)), leader.log());
    assertEquals(java.util.Map.of(2, 2, 3, 1), leader.nextIndex(), "sending moved nextIndex[2] past the no-op");

    long environment = trace.events().stream().filter(e -> !e.action().isNodeStep()).count();
    assertEquals(3, environment, "one duplicate, one drop, one restart");
    for (int k = 0; k < trace.events().size(); k++) {
      assertEquals(k + 1, trace.events().get(k).seq());
      assertEquals(k + 2, trace.events().get(k).line());
    }
  }

  private String badInput(Path file) {
    TraceInputException e = assertThrows(TraceInputException.class, () -> TraceReader.read(file));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    return e.getMessage();
  }

  /** The good trace with line {@code number} (1-based) changed by {@code edit}. */
  private Path withLine(int number, UnaryOperator<String> edit) {
    List<String> lines = new ArrayList<>(goodLines);
    String changed = edit.apply(lines.get(number - 1));
    assertTrue(!changed.equals(lines.get(number - 1)), "the edit must change line " + number);
    lines.set(number - 1, changed);
    return TestTraces.writeLines(dir.resolve("bad.ndjson"), lines);
  }

  /** The 1-based line of the first event of {@code action}. */
  private int lineOf(String action) {
    for (int k = 1; k < goodLines.size(); k++) {
      if (goodLines.get(k).contains("\"action\":\"" + action + "\"")) {
        return k + 1;
      }
    }
    throw new AssertionError("no " + action + " in the trace");
  }

  @Test
  void missingFileIsNamed() {
    Path missing = dir.resolve("missing.ndjson");
    assertEquals(missing + ": cannot read: no such file", badInput(missing));
  }

  @Test
  void directoryIsUnreadable() throws IOException {
    Path sub = Files.createDirectory(dir.resolve("sub.ndjson"));
    assertTrue(badInput(sub).startsWith(sub + ": cannot read: "));
  }

  @Test
  void notUtf8IsUnreadable() throws IOException {
    Path latin1 = dir.resolve("latin1.ndjson");
    Files.write(latin1, List.of(goodLines.get(0), "{\"seq\":1,\"action\":\"caf\u00e9\"}"), StandardCharsets.ISO_8859_1);
    assertEquals(latin1 + ": cannot read: not UTF-8 text", badInput(latin1));
  }

  @Test
  void emptyFileAndHeaderOnlyAreEmptyTraces() {
    Path empty = TestTraces.writeLines(dir.resolve("empty.ndjson"), List.of());
    assertEquals(empty + ": empty trace: no header line", badInput(empty));
    Path headerOnly = TestTraces.writeLines(dir.resolve("header.ndjson"), goodLines.subList(0, 1));
    assertEquals(headerOnly + ": empty trace: a header but no events", badInput(headerOnly));
  }

  @Test
  void malformedJsonNamesItsLine() {
    Path bad = withLine(4, line -> line.substring(0, line.length() / 2));
    assertTrue(badInput(bad).startsWith(bad + " line 4: malformed JSON: Unexpected end-of-input"), badInput(bad));
    Path twoObjects = withLine(3, line -> line + " {}");
    assertTrue(badInput(twoObjects).startsWith(twoObjects + " line 3: malformed JSON: more after the object ends"));
    Path array = withLine(3, line -> "[" + line + "]");
    assertEquals(array + " line 3: malformed JSON: the line must hold one JSON object, not [", badInput(array));
  }

  @Test
  void truncatedLastLineOfACrashedWriterIsMalformed() {
    List<String> lines = new ArrayList<>(goodLines);
    String last = lines.remove(lines.size() - 1);
    lines.add(last.substring(0, 20));
    Path bad = TestTraces.writeLines(dir.resolve("cut.ndjson"), lines);
    assertTrue(badInput(bad).startsWith(bad + " line " + lines.size() + ": malformed JSON: "));
  }

  @Test
  void blankLineIsRejected() {
    List<String> lines = new ArrayList<>(goodLines);
    lines.add(3, "");
    Path bad = TestTraces.writeLines(dir.resolve("blank.ndjson"), lines);
    assertEquals(bad + " line 4: blank line; every line of a trace is one JSON object", badInput(bad));
  }

  @Test
  void wrongSchemaVersionIsNamed() {
    Path bad = withLine(1, line -> line.replace("\"schema\":1", "\"schema\":2"));
    assertEquals(bad + " line 1: schema version 2 is not supported; this reader reads schema 1", badInput(bad));
  }

  @Test
  void firstLineMustBeAHeader() {
    List<String> lines = new ArrayList<>(goodLines.subList(1, goodLines.size()));
    Path bad = TestTraces.writeLines(dir.resolve("headless.ndjson"), lines);
    assertEquals(bad + " line 1: not a trace header: \"format\" must be \"raftref-trace\"", badInput(bad));
  }

  @Test
  void unknownActionIsNamedWithTheKnownOnes() {
    Path bad = withLine(2, line -> line.replace("\"Timeout\"", "\"Elect\""));
    assertEquals(bad + " line 2: unknown action \"Elect\"; the actions are Timeout, UpdateTerm, "
        + "HandleRequestVoteRequest, HandleRequestVoteResponse, BecomeLeader, ClientRequest, AppendEntries, "
        + "HandleAppendEntriesRequest, HandleAppendEntriesResponse, AdvanceCommitIndex, Persist, Restart, "
        + "DropMessage, DuplicateMessage", badInput(bad));
  }

  @Test
  void missingFieldIsNamedWithItsPath() {
    int line = lineOf("HandleAppendEntriesRequest");
    Path nested = withLine(line, l -> l.replaceFirst("\"prevLogTerm\":\\d+,", ""));
    assertEquals(nested + " line " + line + ": HandleAppendEntriesRequest event lacks field \"recv.prevLogTerm\"",
        badInput(nested));
    Path state = withLine(2, l -> l.replaceFirst(",\"state\":.*}$", "}"));
    assertEquals(state + " line 2: Timeout event lacks field \"state\"", badInput(state));
    Path votes = withLine(2, l -> l.replace(",\"votes\":[1]", ""));
    assertEquals(votes + " line 2: Timeout event lacks field \"state.votes\"", badInput(votes));
    Path action = withLine(2, l -> l.replace("\"action\":\"Timeout\",", ""));
    assertEquals(action + " line 2: the event lacks field \"action\"", badInput(action));
  }

  @Test
  void wrongTypeAndRangeAreNamed() {
    Path text = withLine(2, l -> l.replace("\"currentTerm\":1", "\"currentTerm\":\"1\""));
    assertEquals(text + " line 2: field \"state.currentTerm\" must be an integer in 0..2147483647, "
        + "was the string \"1\"", badInput(text));
    Path big = withLine(2, l -> l.replace("\"currentTerm\":1", "\"currentTerm\":2147483648"));
    assertEquals(big + " line 2: field \"state.currentTerm\" must be an integer in 0..2147483647, "
        + "was 2147483648 (TLC's integers are 32-bit)", badInput(big));
    Path role = withLine(2, l -> l.replace("\"Candidate\"", "\"Boss\""));
    assertEquals(role + " line 2: field \"state.role\" must be \"Follower\", \"Candidate\" or \"Leader\", "
        + "was \"Boss\"", badInput(role));
    int clientLine = lineOf("ClientRequest");
    Path digest = withLine(clientLine, l -> l.replaceFirst("\"value\":\"[0-9a-f]+\"", "\"value\":\"x=1\""));
    assertEquals(digest + " line " + clientLine + ": field \"value\" must be \"\" or 16 lowercase hex digits "
        + "(a command's digest), was \"x=1\"", badInput(digest));
  }

  @Test
  void unknownFieldAndStrangeNodeAreRejected() {
    Path extra = withLine(2, l -> l.replace("\"seq\":1,", "\"seq\":1,\"time\":5,"));
    assertEquals(extra + " line 2: unknown field \"time\" in Timeout event; allowed here: "
        + "[action, node, seq, state]", badInput(extra));
    Path stranger = withLine(2, l -> l.replace("\"node\":1,", "\"node\":4,"));
    assertEquals(stranger + " line 2: field \"node\" is node 4, which is not one of the members [1, 2, 3]",
        badInput(stranger));
  }

  @Test
  void eventsMustBeNumberedInLineOrder() {
    Path bad = withLine(3, l -> l.replace("\"seq\":2,", "\"seq\":3,"));
    assertEquals(bad + " line 3: field \"seq\" is 3, expected 2: events are numbered 1, 2, 3, ... in line order",
        badInput(bad));
  }

  @Test
  void logRunsMustEndAtIncreasingIndexes() {
    int line = lineOf("ClientRequest");
    Path bad = withLine(line, l -> l.replace("\"log\":[[1,2]]", "\"log\":[[1,2],[1,2]]"));
    assertEquals(bad + " line " + line + ": field \"state.log[1][1]\" must be an integer in 3..2147483647, was 2",
        badInput(bad));
  }
}
