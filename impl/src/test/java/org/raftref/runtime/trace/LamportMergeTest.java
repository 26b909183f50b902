package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge orders by Lamport time, renumbers, and refuses files that do not belong together. */
class LamportMergeTest {

  private static final String HEADER =
      "{\"format\":\"raftref-trace\",\"schema\":1,\"members\":[1,2],\"maxEntriesPerAppend\":64,\"origin\":\"x\"}";

  private static void write(Path dir, int node, int incarnation, String trace, String clocks) throws Exception {
    Files.writeString(TraceFiles.traceFile(dir, node, incarnation), trace);
    Files.writeString(TraceFiles.clockFile(dir, node, incarnation), clocks);
  }

  private static String event(int seq, int node, String action) {
    return "{\"seq\":" + seq + ",\"node\":" + node + ",\"action\":\"" + action + "\"}\n";
  }

  @Test
  void ordersByTimeThenNodeAndRenumbers(@TempDir Path dir) throws Exception {
    write(dir, 1, 1, HEADER + "\n" + event(1, 1, "Timeout") + event(2, 1, "Persist"), "1\n2\n");
    write(dir, 2, 1, HEADER + "\n" + event(1, 2, "UpdateTerm") + event(2, 2, "Persist"), "3\n4\n");
    write(dir, 1, 2, HEADER + "\n" + event(1, 1, "Restart"), "4\n");
    Path out = dir.resolve("merged.ndjson");
    LamportMerge.Result result = LamportMerge.merge(dir, out);
    assertEquals(3, result.files());
    assertEquals(5, result.events());
    List<String> lines = Files.readAllLines(out);
    assertTrue(lines.get(0).contains("\"members\":[1,2]") && lines.get(0).contains("merged by Lamport time"));
    assertEquals(List.of(
        "{\"seq\":1,\"node\":1,\"action\":\"Timeout\"}",
        "{\"seq\":2,\"node\":1,\"action\":\"Persist\"}",
        "{\"seq\":3,\"node\":2,\"action\":\"UpdateTerm\"}",
        "{\"seq\":4,\"node\":1,\"action\":\"Restart\"}",
        "{\"seq\":5,\"node\":2,\"action\":\"Persist\"}"), lines.subList(1, lines.size()));
  }

  @Test
  void aPartialLastLineOfAKilledProcessIsLeftOutAndSaidSo(@TempDir Path dir) throws Exception {
    write(dir, 1, 1, HEADER + "\n" + event(1, 1, "Timeout") + "{\"seq\":2,\"no", "1\n2\n");
    LamportMerge.Result result = LamportMerge.merge(dir, dir.resolve("m.ndjson"));
    assertEquals(1, result.events());
    assertEquals(1, result.notes().size());
    assertTrue(result.notes().get(0).contains("left out events 2..2"), result.notes().toString());
  }

  @Test
  void eventsOnlyOneFileOfAKilledProcessHoldsAreLeftOut(@TempDir Path dir) throws Exception {
    write(dir, 1, 1, HEADER + "\n" + event(1, 1, "Timeout") + event(2, 1, "Persist") + event(3, 1, "Timeout"),
        "1\n");
    write(dir, 2, 1, HEADER + "\n" + event(1, 2, "Timeout"), "1\n2\n3\n4");
    LamportMerge.Result result = LamportMerge.merge(dir, dir.resolve("m.ndjson"));
    assertEquals(2, result.events());
    assertEquals(2, result.notes().size(), result.notes().toString());
    assertTrue(result.notes().get(0).contains("left out events 2..3"), result.notes().toString());
    assertTrue(result.notes().get(1).contains("left out events 2..3"), result.notes().toString());
  }

  @Test
  void refusesWhatDoesNotFit(@TempDir Path dir) throws Exception {
    write(dir, 1, 1, HEADER + "\n" + event(1, 1, "Timeout") + event(2, 1, "Persist"), "5\n5\n");
    assertTrue(refusal(dir).contains("does not grow"), refusal(dir));
    write(dir, 1, 1, HEADER + "\n" + event(1, 1, "Timeout"), "1\n");
    write(dir, 1, 2, HEADER + "\n" + event(1, 1, "Restart"), "1\n");
    assertTrue(refusal(dir).contains("does not grow"), refusal(dir));
    write(dir, 1, 2, HEADER.replace("[1,2]", "[1,2,3]") + "\n" + event(1, 1, "Restart"), "2\n");
    assertTrue(refusal(dir).contains("differs"), refusal(dir));
    write(dir, 1, 2, HEADER + "\n" + event(1, 1, "Restart"), "x\n");
    assertTrue(refusal(dir).contains("not a positive Lamport time"), refusal(dir));
  }

  @Test
  void anEmptyDirectoryHasNothingToMerge(@TempDir Path dir) {
    assertThrows(TraceMergeException.class, () -> LamportMerge.merge(dir, dir.resolve("m.ndjson")));
  }

  private static String refusal(Path dir) {
    return assertThrows(TraceMergeException.class, () -> LamportMerge.merge(dir, dir.resolve("m.ndjson")))
        .getMessage();
  }

  @Test
  void convertsTheJournalsKilledServersLeftFirst(@TempDir Path dir) throws Exception {
    write(dir, 2, 1, HEADER + "\n" + event(1, 2, "Timeout"), "2\n");
    org.raftref.trace.TraceHeader header = new org.raftref.trace.TraceHeader(List.of(1, 2), 64, "x");
    try (JournalWriter killed = JournalWriter.create(TraceFiles.journalFile(dir, 1, 1), header)) {
      killed.environmentStep(1, org.raftref.trace.TraceAction.Restart, 1, null);
      killed.environmentStep(3, org.raftref.trace.TraceAction.Restart, 1, null);
    }
    Path out = dir.resolve("merged.ndjson");
    LamportMerge.Result result = LamportMerge.merge(dir, out);
    assertEquals(List.of("converted 1 journal(s) that killed servers left into traces"), result.notes());
    assertEquals(3, result.events());
    assertEquals(List.of(
        "{\"seq\":1,\"node\":1,\"action\":\"Restart\"}",
        "{\"seq\":2,\"node\":2,\"action\":\"Timeout\"}",
        "{\"seq\":3,\"node\":1,\"action\":\"Restart\"}"), Files.readAllLines(out).subList(1, 4));
  }
}
