package org.raftref.tracecheck.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;
import org.raftref.tracecheck.trace.TestTraces;
import org.raftref.tracecheck.trace.TraceInputException;

/**
 * Replays real traces through spec/TraceRaft.tla with TLC: a trace of the core validates; a trace changed in
 * one place is rejected at that event, with the spec's reason.
 */
class TraceValidatorTest {

  static final Path SPEC_DIR = Path.of(System.getProperty("raftref.specDir", "../spec"));
  static final Path WORK_ROOT = Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("validate");

  @TempDir
  Path dir;

  private Path good;
  private List<String> goodLines;

  @BeforeEach
  void writeGoodTrace() {
    good = TestTraces.write(dir, "good.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    goodLines = TestTraces.lines(good);
  }

  private static TraceValidator validator(TraceValidator.Input input) {
    return new TraceValidator(SPEC_DIR, WORK_ROOT, input, TlcProcess.forked("256m"));
  }

  private static Outcome validate(Path... files) throws TraceInputException {
    return validator(TraceValidator.Input.OVERRIDE).validate(List.of(files));
  }

  @Test
  void traceOfTheCoreValidatesThroughTheOverrideAndThroughAGeneratedModule() throws TraceInputException {
    int events = goodLines.size() - 1;
    for (TraceValidator.Input input : TraceValidator.Input.values()) {
      Outcome outcome = validator(input).validate(List.of(good));
      Outcome.Valid valid = assertInstanceOf(Outcome.Valid.class, outcome, outcome.report());
      assertEquals(events, valid.events(), input.name());
      assertEquals(events + 1, valid.depth(), input.name());
      assertEquals(events + 1, valid.statesGenerated(), input.name());
    }
  }

  @Test
  void perNodeTracesValidateOnceMerged() throws TraceInputException {
    List<Path> parts = TestTraces.splitByNode(good, dir, List.of(3, 2, 1));
    Outcome outcome = validate(parts.toArray(Path[]::new));
    Outcome.Valid valid = assertInstanceOf(Outcome.Valid.class, outcome, outcome.report());
    assertEquals(goodLines.size() - 1, valid.events());
  }

  /** The 1-based line of the {@code nth} (1-based) event of {@code action} in the good trace. */
  private int lineOf(TraceAction action, int nth) {
    int seen = 0;
    for (int k = 1; k < goodLines.size(); k++) {
      if (goodLines.get(k).contains("\"action\":\"" + action + "\"") && ++seen == nth) {
        return k + 1;
      }
    }
    throw new AssertionError("no " + action + " number " + nth);
  }

  private Path withLine(int number, UnaryOperator<String> edit) {
    List<String> lines = new ArrayList<>(goodLines);
    String changed = edit.apply(lines.get(number - 1));
    assertTrue(!changed.equals(lines.get(number - 1)), "the edit must change line " + number);
    lines.set(number - 1, changed);
    return TestTraces.writeLines(dir.resolve("changed.ndjson"), lines);
  }

  @Test
  void wrongCommitIndexIsNamedWithExpectedAndActual() throws Exception {
    int line = lineOf(TraceAction.AdvanceCommitIndex, 1);
    Path bad = withLine(line, l -> l.replaceFirst("\"commitIndex\":1,", "\"commitIndex\":2,"));
    Outcome.Invalid invalid = assertInstanceOf(Outcome.Invalid.class, validate(bad));
    String report = invalid.report();
    assertEquals(line - 1, invalid.index(), report);
    assertEquals(List.of("field state.commitIndex: expected 1 (spec), actual 2 (trace)"), invalid.reasons(), report);
    assertTrue(report.startsWith("INVALID " + bad + ": event " + (line - 1) + " of " + (goodLines.size() - 1)
        + " (" + bad + " line " + line + ") does not match the spec\n  event: AdvanceCommitIndex on node 1\n"),
        report);
    // Node 1 advances its commit index right after it handles a reply.
    assertTrue(report.contains("previous event of node 1: HandleAppendEntriesResponse (" + bad + " line "
        + (line - 1) + ")"), report);
    assertTrue(report.contains("kept: "), report);
    for (java.nio.file.Path kept : invalid.kept()) {
      assertTrue(Files.exists(kept), kept + " is kept");
    }
  }

  @Test
  void wrongSentMessageIsNamedFieldByField() throws Exception {
    int line = lineOf(TraceAction.HandleAppendEntriesRequest, 1);
    Path bad = withLine(line, l -> l.replaceFirst("\"success\":true,\"matchIndex\":1", "\"success\":true,\"matchIndex\":2"));
    Outcome.Invalid invalid = assertInstanceOf(Outcome.Invalid.class, validate(bad));
    assertEquals(List.of("field sent.mmatchIndex: expected 1 (spec), actual 2 (trace)"), invalid.reasons(), invalid.report());
  }

  /**
   * Thesis §10.2.1 in a trace: the leader's request reaches the followers before its own write, the leader
   * crashes before that write completes, and the entry it never made durable commits under the next leader.
   * The spec accepts it, whole and split per node.
   */
  @Test
  void aLeadersRequestMayArriveBeforeItsOwnWriteAndOutliveItsCrash() throws TraceInputException {
    Path trace = TestTraces.write(dir, "crash-during-write.ndjson", TestTraces.LEADER_CRASH_DURING_WRITE);
    int events = TestTraces.lines(trace).size() - 1;
    Outcome whole = validate(trace);
    assertEquals(events, assertInstanceOf(Outcome.Valid.class, whole, whole.report()).events());
    Outcome merged = validate(TestTraces.splitByNode(trace, dir, List.of(2, 3, 1)).toArray(Path[]::new));
    assertEquals(events, assertInstanceOf(Outcome.Valid.class, merged, merged.report()).events());
  }

  @Test
  void receiveBeforeTheSenderPersistedIsAGuardThatDoesNotHold() throws Exception {
    // Drop the candidate's first Persist after its Timeout: its vote requests never reach the network.
    int timeout = lineOf(TraceAction.Timeout, 1);
    int persist = timeout;
    while (!goodLines.get(persist - 1).contains("\"action\":\"Persist\"")) {
      persist++;
    }
    List<String> lines = new ArrayList<>(goodLines);
    lines.remove(persist - 1);
    for (int k = persist - 1; k < lines.size(); k++) {
      lines.set(k, lines.get(k).replaceFirst("^\\{\"seq\":\\d+,", "{\"seq\":" + k + ","));
    }
    Path bad = TestTraces.writeLines(dir.resolve("unpersisted.ndjson"), lines);
    Outcome.Invalid invalid = assertInstanceOf(Outcome.Invalid.class, validate(bad));
    assertTrue(invalid.reasons().contains("requires m in the network, but copies in the network: 0, "
        + "in node 1's outbox (sent, not yet persisted): 1"), invalid.report());
  }
}
