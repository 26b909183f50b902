package org.raftref.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;
import org.raftref.storage.SimFileIo.Op;
import org.raftref.storage.SimFileIo.Unsynced;

/** The I/O a sync does, counted on {@link SimFileIo}: what is staged costs nothing until one fsync. */
class GroupCommitTest {

  private static final Path DIR = Path.of("/sim/node-1");

  private static long count(List<Op> ops, Op op) {
    return ops.stream().filter(o -> o == op).count();
  }

  @Test
  void manyWritesAreMadeDurableByOneWriteAndOneFsync() throws Exception {
    SimFileIo io = new SimFileIo();
    FileStorage storage = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS, io);
    storage.load();
    storage.saveHardState(new HardState(1, 0));
    storage.replaceLog(1, List.of(new LogEntry(1, new byte[] {0})));
    storage.sync();
    int before = io.operations().size();
    for (int i = 2; i <= 101; i++) {
      storage.replaceLog(i, List.of(new LogEntry(1, new byte[] {(byte) i})));
    }
    assertEquals(before, io.operations().size(), "staging must not do I/O");
    storage.sync();
    List<Op> ops = io.operations().subList(before, io.operations().size());
    assertEquals(List.of(Op.WRITE, Op.SYNC), ops, "one write and one fsync for 100 entries");
  }

  @Test
  void aSyncWithNothingStagedDoesNoIo() throws Exception {
    SimFileIo io = new SimFileIo();
    FileStorage storage = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS, io);
    storage.load();
    storage.saveHardState(new HardState(1, 0));
    long ticket = storage.sync();
    int before = io.operations().size();
    assertEquals(ticket, storage.sync());
    assertEquals(before, io.operations().size());
  }

  @Test
  void aChangedHardStateIsReplacedAtomicallyBeforeTheLogIsWritten() throws Exception {
    SimFileIo io = new SimFileIo();
    FileStorage storage = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS, io);
    storage.load();
    int before = io.operations().size();
    storage.saveHardState(new HardState(1, 0));
    storage.saveHardState(new HardState(1, 2));
    storage.replaceLog(1, List.of(new LogEntry(1, new byte[] {0})));
    storage.sync();
    // temporary file: create, write, fsync; rename; fsync the directory; then the first segment: create,
    // header, fsync the directory; the record; one fsync.
    assertEquals(List.of(Op.CREATE, Op.WRITE, Op.SYNC, Op.RENAME, Op.SYNC_DIRECTORY,
        Op.CREATE, Op.WRITE, Op.SYNC_DIRECTORY, Op.WRITE, Op.SYNC), io.operations().subList(before, io.operations().size()));
    assertEquals(1, count(io.operations().subList(before, io.operations().size()), Op.RENAME));
  }

  @Test
  void writesStagedButNotSyncedAreLostInACrash() throws Exception {
    SimFileIo io = new SimFileIo();
    FileStorage storage = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS, io);
    storage.load();
    storage.saveHardState(new HardState(1, 0));
    storage.replaceLog(1, List.of(new LogEntry(1, new byte[] {1})));
    storage.sync();
    storage.replaceLog(2, List.of(new LogEntry(1, new byte[] {2})));
    SimFileIo image = io.crashImage(Unsynced.KEPT); // even if the kernel had flushed everything written
    try (FileStorage recovered = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS, image)) {
      assertEquals(1, recovered.load().state().log().size());
    }
  }
}
