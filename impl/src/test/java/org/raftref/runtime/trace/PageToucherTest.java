package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;

/** The page toucher changes no byte, before or after the writer's position, and lives as long as its writer. */
class PageToucherTest {

  @Test
  void touchingChangesNothingWrittenOrUnwritten() {
    ByteBuffer window = ByteBuffer.allocateDirect(64 * PageToucher.PAGE + 8).order(JournalFormat.ORDER);
    byte[] records = new byte[10 * PageToucher.PAGE + 104];
    new Random(7).nextBytes(records);
    window.put(0, records);
    byte[] before = new byte[window.capacity()];
    window.get(0, before);

    PageToucher toucher = new PageToucher(window, records.length);
    toucher.touchAhead();
    toucher.moved(window, 0); // a new window from its start: everything is touched again
    toucher.touchAhead();

    byte[] after = new byte[window.capacity()];
    window.get(0, after);
    assertArrayEquals(before, after);
  }

  @Test
  void aWriterRunsItsToucherUntilClosed(@TempDir Path dir) throws Exception {
    Thread toucher;
    try (JournalWriter journal = JournalWriter.create(dir.resolve("node-1.1.journal"),
        new TraceHeader(List.of(1), 1, "toucher"))) {
      journal.environmentStep(1, TraceAction.Restart, 1, null);
      toucher = journal.pageToucher();
      assertTrue(toucher != null && toucher.isAlive() && toucher.isDaemon(), String.valueOf(toucher));
    }
    assertFalse(toucher.isAlive(), "close() ends the toucher");
  }
}
