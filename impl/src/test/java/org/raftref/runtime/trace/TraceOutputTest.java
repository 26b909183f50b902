package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;

/**
 * Each incarnation gets its own pair of files, and its clock starts above every earlier one, also above a
 * killed one's, whose journal the next merge converts.
 */
class TraceOutputTest {

  @Test
  void aSecondIncarnationContinuesTheClock(@TempDir Path dir) throws Exception {
    try (TraceOutput first = TraceOutput.open(dir, 2, List.of(1, 2, 3), 64)) {
      assertFalse(first.restarted());
      first.sink().environmentStep(TraceAction.Restart, 2, null);
      first.sink().environmentStep(TraceAction.Restart, 2, null);
      assertEquals(2, first.clock().now());
      first.clock().witness(40); // a message from a peer whose clock ran ahead
    }
    assertEquals(List.of("1", "2"), Files.readAllLines(TraceFiles.clockFile(dir, 2, 1)));
    try (TraceOutput second = TraceOutput.open(dir, 2, List.of(1, 2, 3), 64)) {
      assertTrue(second.restarted());
      second.sink().environmentStep(TraceAction.Restart, 2, null);
      assertTrue(second.clock().now() > 2);
    }
    assertEquals(List.of("3"), Files.readAllLines(TraceFiles.clockFile(dir, 2, 2)));
    assertEquals(2, TraceFiles.list(dir).size());
    List<String> trace = Files.readAllLines(TraceFiles.traceFile(dir, 2, 2));
    assertTrue(trace.get(0).contains("incarnation 2"), trace.get(0));
    assertEquals("{\"seq\":1,\"node\":2,\"action\":\"Restart\"}", trace.get(1));
  }

  @Test
  void aKilledIncarnationsJournalSetsTheClockAndTheMergeConvertsIt(@TempDir Path dir) throws Exception {
    TraceHeader header = new TraceHeader(List.of(1, 2), 64, "killed");
    // What a killed server leaves: its journal, closed by the kernel, never converted.
    try (JournalWriter killed = JournalWriter.create(TraceFiles.journalFile(dir, 1, 1), header)) {
      killed.environmentStep(7, TraceAction.Restart, 1, null);
      killed.environmentStep(9, TraceAction.Restart, 1, null);
    }
    try (TraceOutput second = TraceOutput.open(dir, 1, List.of(1, 2), 64)) {
      assertTrue(second.restarted());
      assertEquals(9, second.clock().now());
      assertTrue(Files.exists(TraceFiles.journalFile(dir, 1, 1)), "a restart does not wait for the conversion");
      second.sink().environmentStep(TraceAction.Restart, 1, null);

      IOException running = assertThrows(IOException.class, () -> LamportMerge.merge(dir, dir.resolve("m")));
      assertTrue(running.getMessage().contains("node-1.2.journal is still being written by a running server"),
          running.getMessage());
      assertFalse(Files.exists(TraceFiles.journalFile(dir, 1, 1)), "the killed one was converted before that");
    }
    LamportMerge.Result merged = LamportMerge.merge(dir, dir.resolve("merged.ndjson"));
    assertEquals(List.of(), merged.notes());
    assertEquals(3, merged.events());
    assertEquals(List.of("7", "9"), Files.readAllLines(TraceFiles.clockFile(dir, 1, 1)));
    assertEquals(List.of("10"), Files.readAllLines(TraceFiles.clockFile(dir, 1, 2)));
  }

  @Test
  void recordingCountsEveryEventAndTimesSomeOfThem(@TempDir Path dir) throws Exception {
    assertEquals(new TraceOutput.Recording(0, 0, 0, 0), TraceOutput.none().recording());
    try (TraceOutput output = TraceOutput.open(dir, 1, List.of(1, 2), 64)) {
      for (int k = 0; k < 63; k++) {
        output.sink().environmentStep(TraceAction.Restart, 1, null);
      }
      assertEquals(0, output.recording().events(), "published every 64 events");
      assertEquals(0, output.recording().estimatedNanos());
      for (int k = 0; k < 65; k++) {
        output.sink().environmentStep(TraceAction.Restart, 1, null);
      }
      TraceOutput.Recording recording = output.recording();
      assertEquals(128, recording.events());
      assertTrue(recording.estimatedNanos() >= 0, recording.toString());
    }
  }
}
