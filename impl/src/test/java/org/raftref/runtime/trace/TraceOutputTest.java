package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;

/** Each incarnation gets its own pair of files, and its clock starts above every earlier one. */
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
}
