package org.raftref.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/** {@link MemoryStorage} keeps {@link Storage}'s contract: only what a sync covered survives a crash. */
class MemoryStorageTest {

  @Test
  void onlySyncedWritesSurviveACrash() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    storage.load();
    storage.saveHardState(new HardState(1, 0));
    long ticket = storage.replaceLog(1, List.of(new LogEntry(1, new byte[] {1}), new LogEntry(1, new byte[] {2})));
    assertEquals(ticket, storage.sync());
    storage.saveHardState(new HardState(2, 0));
    storage.replaceLog(2, List.of(new LogEntry(2, new byte[] {3})));
    assertEquals(ticket, storage.durableTicket());

    MemoryStorage restarted = storage.afterCrash();
    var state = restarted.load().state();
    assertEquals(new HardState(1, 0), state.hardState());
    assertEquals(List.of(new LogEntry(1, new byte[] {1}), new LogEntry(1, new byte[] {2})), state.log());
  }

  @Test
  void theSameArgumentChecksAsTheFileStorage() throws Exception {
    MemoryStorage storage = new MemoryStorage();
    storage.load();
    storage.saveHardState(new HardState(2, 0));
    assertThrows(IllegalArgumentException.class, () -> storage.replaceLog(2, List.of(new LogEntry(1, new byte[0]))));
    assertThrows(IllegalArgumentException.class, () -> storage.replaceLog(1, List.of(new LogEntry(3, new byte[0]))));
    assertThrows(IllegalArgumentException.class, () -> storage.saveHardState(new HardState(1, 0)));
    storage.close();
    assertThrows(StorageFailedException.class, storage::sync);
  }
}
