package org.raftref.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.core.Ready;
import org.raftref.message.LogEntry;

/** {@link FileStorage} on the real file system: format, recovery, ownership, group commit. */
class FileStorageTest {

  private static final FileStorage.Options SMALL = new FileStorage.Options(300, 1024);

  @TempDir
  Path tmp;

  private static LogEntry entry(long term, String command) {
    return new LogEntry(term, command.getBytes(StandardCharsets.UTF_8));
  }

  private static List<LogEntry> entries(long term, int from, int count) {
    List<LogEntry> list = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      list.add(entry(term, "command " + i));
    }
    return list;
  }

  private FileStorage open(Path dir) throws StorageException {
    return FileStorage.open(dir, 1, SMALL, FileIo.real());
  }

  private List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void whatIsSyncedSurvivesAReopen() throws Exception {
    Path dir = tmp.resolve("node-1");
    List<LogEntry> log = entries(2, 1, 40);
    try (FileStorage storage = open(dir)) {
      assertEquals(DurableState.EMPTY.log(), storage.load().state().log());
      storage.saveHardState(new HardState(2, 3));
      storage.replaceLog(1, log.subList(0, 25));
      storage.sync();
      storage.replaceLog(26, log.subList(25, 40));
      storage.sync();
      assertTrue(storage.segmentCount() > 3, "small segments should have rolled: " + storage.segmentCount());
    }
    try (FileStorage storage = open(dir)) {
      Storage.Recovery recovery = storage.load();
      assertEquals(new HardState(2, 3), recovery.state().hardState());
      assertEquals(log, recovery.state().log());
      assertEquals(List.of(), recovery.repairs());
    }
  }

  /** The follower's conflicting tail (Figure 2, AppendEntries receiver step 3) may span several segments. */
  @Test
  void replacingATailCutsAcrossSegments() throws Exception {
    Path dir = tmp.resolve("node-1");
    try (FileStorage storage = open(dir)) {
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      storage.replaceLog(1, entries(1, 1, 30));
      storage.sync();
      int before = segments(dir).size();
      storage.saveHardState(new HardState(2, 0));
      storage.replaceLog(5, List.of(entry(2, "new leader")));
      storage.sync();
      assertTrue(segments(dir).size() < before, segments(dir) + " after cutting from index 5");
    }
    List<LogEntry> expected = new ArrayList<>(entries(1, 1, 4));
    expected.add(entry(2, "new leader"));
    try (FileStorage storage = open(dir)) {
      assertEquals(expected, storage.load().state().log());
    }
  }

  @Test
  void aReadyIsWrittenAsItsHardStateAndLogChange() throws Exception {
    Path dir = tmp.resolve("node-1");
    try (FileStorage storage = open(dir)) {
      storage.load();
      Ready first = new Ready(new HardState(3, 1), 1, entries(3, 1, 3), List.of(), 1, List.of());
      long ticket = storage.write(first);
      assertEquals(ticket, storage.sync());
      Ready nothing = new Ready(null, 4, List.of(), List.of(), 1, List.of());
      assertEquals(ticket, storage.write(nothing), "a Ready with nothing to persist makes no write");
      Ready replace = new Ready(null, 2, List.of(entry(3, "x")), List.of(), 1, List.of());
      storage.write(replace);
      storage.sync();
    }
    try (FileStorage storage = open(dir)) {
      DurableState state = storage.load().state();
      assertEquals(new HardState(3, 1), state.hardState());
      assertEquals(List.of(entry(3, "command 1"), entry(3, "x")), state.log());
    }
  }

  @Test
  void aDataDirectoryOfAnotherNodeIsRefused() throws Exception {
    Path dir = tmp.resolve("data");
    FileStorage.open(dir, 1, SMALL, FileIo.real()).close();
    StorageException e = assertThrows(StorageException.class, () -> FileStorage.open(dir, 2, SMALL, FileIo.real()));
    assertEquals("data directory " + dir + " belongs to node 1, not to node 2", e.getMessage());
  }

  @Test
  void aDirectoryThatIsNotADataDirectoryIsRefused() throws Exception {
    Path dir = tmp.resolve("photos");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cat.jpg"), "meow");
    StorageException e = assertThrows(StorageException.class, () -> open(dir));
    assertTrue(e.getMessage().contains("cat.jpg") && e.getMessage().contains("not a Raft Reference data directory"),
        e.getMessage());
  }

  @Test
  void aPathThatIsAFileIsRefused() throws Exception {
    Path file = tmp.resolve("not-a-directory");
    Files.writeString(file, "x");
    StorageException e = assertThrows(StorageException.class, () -> open(file));
    assertEquals("cannot open data directory " + file + ": " + file + " exists and is not a directory",
        e.getMessage());
  }

  @Test
  void aDamagedNodeIdFileIsRefused() throws Exception {
    Path dir = tmp.resolve("data");
    open(dir).close();
    Files.writeString(dir.resolve("node-id"), "raftref node-id x1\n");
    StorageException e = assertThrows(StorageException.class, () -> open(dir));
    assertTrue(e.getMessage().startsWith(dir.resolve("node-id") + " is damaged"), e.getMessage());
  }

  @Test
  void aDataDirectoryOpenTwiceIsRefused() throws Exception {
    Path dir = tmp.resolve("data");
    try (FileStorage first = open(dir)) {
      StorageException e = assertThrows(StorageException.class, () -> open(dir));
      assertTrue(e.getMessage().contains("locked"), e.getMessage());
    }
    open(dir).close(); // the lock is released on close
  }

  /** A record cut short by a crash was written after the last fsync: recovery cuts it off and says so. */
  @Test
  void aTornTailIsCutOff() throws Exception {
    Path dir = tmp.resolve("node-1");
    try (FileStorage storage = open(dir)) {
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      storage.replaceLog(1, entries(1, 1, 5));
      storage.sync();
    }
    Path last = segments(dir).get(segments(dir).size() - 1);
    long size = Files.size(last);
    try (FileChannel channel = FileChannel.open(last, StandardOpenOption.WRITE)) {
      channel.truncate(size - 5);
    }
    long cut = size - LogRecord.size(entry(1, "command 5"));
    try (FileStorage storage = open(dir)) {
      Storage.Recovery recovery = storage.load();
      assertEquals(entries(1, 1, 4), recovery.state().log());
      assertEquals(1, recovery.repairs().size());
      String repair = recovery.repairs().get(0);
      assertTrue(repair.contains(last.getFileName().toString()) && repair.contains("at offset " + cut), repair);
      storage.replaceLog(5, List.of(entry(1, "again")));
      storage.sync();
    }
    try (FileStorage storage = open(dir)) {
      assertEquals(5, storage.load().state().log().size());
    }
  }

  /** Damage followed by intact records is not a torn tail: refuse to start, naming file and offset. */
  @Test
  void aBadCrcFollowedByIntactRecordsIsRefused() throws Exception {
    Path dir = tmp.resolve("node-1");
    try (FileStorage storage = open(dir)) {
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      storage.replaceLog(1, List.of(entry(1, "a"), entry(1, "b"), entry(1, "c")));
      storage.sync();
    }
    Path segment = segments(dir).get(0);
    long second = LogRecord.SEGMENT_HEADER_BYTES + LogRecord.size(entry(1, "a"));
    long commandOfSecond = second + LogRecord.HEADER_BYTES + LogRecord.PAYLOAD_FIXED_BYTES;
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {'B'}), commandOfSecond);
    }
    CorruptionException e = assertThrows(CorruptionException.class, () -> {
      try (FileStorage storage = open(dir)) {
        storage.load();
      }
    });
    assertEquals(segment, e.file());
    assertEquals(second, e.offset());
    assertTrue(e.getMessage().contains("CRC32C mismatch") && e.getMessage().contains("intact record follows"),
        e.getMessage());
  }

  @Test
  void aMissingHardStateWithEntriesInTheLogIsRefused() throws Exception {
    Path dir = tmp.resolve("node-1");
    try (FileStorage storage = open(dir)) {
      storage.load();
      storage.saveHardState(new HardState(4, 0));
      storage.replaceLog(1, entries(4, 1, 2));
      storage.sync();
    }
    Files.delete(dir.resolve(HardStateFile.NAME));
    CorruptionException e = assertThrows(CorruptionException.class, () -> {
      try (FileStorage storage = open(dir)) {
        storage.load();
      }
    });
    assertTrue(e.getMessage().contains("at most the hard state's currentTerm 0"), e.getMessage());
  }

  @Test
  void aLeftoverTemporaryHardStateIsDeleted() throws Exception {
    Path dir = tmp.resolve("node-1");
    try (FileStorage storage = open(dir)) {
      storage.load();
      storage.saveHardState(new HardState(1, 1));
      storage.sync();
    }
    Files.write(dir.resolve(HardStateFile.TEMP), new byte[] {1, 2, 3});
    try (FileStorage storage = open(dir)) {
      Storage.Recovery recovery = storage.load();
      assertEquals(new HardState(1, 1), recovery.state().hardState());
      assertTrue(recovery.describe().contains("deleted hardstate.tmp"), recovery.describe());
    }
    assertTrue(Files.notExists(dir.resolve(HardStateFile.TEMP)));
  }

  @Test
  void callsThatBreakTheContractAreRefused() throws Exception {
    try (FileStorage storage = open(tmp.resolve("node-1"))) {
      assertThrows(IllegalStateException.class, () -> storage.saveHardState(new HardState(1, 0)));
      storage.load();
      assertThrows(IllegalStateException.class, storage::load);
      storage.saveHardState(new HardState(2, 0));
      assertThrows(IllegalArgumentException.class, () -> storage.saveHardState(new HardState(1, 0)));
      assertThrows(IllegalArgumentException.class, () -> storage.replaceLog(2, entries(2, 1, 1)));
      assertThrows(IllegalArgumentException.class, () -> storage.replaceLog(1, entries(3, 1, 1)));
      storage.replaceLog(1, entries(2, 1, 1));
      assertThrows(IllegalArgumentException.class, () -> storage.replaceLog(2, entries(1, 1, 1)));
      assertThrows(IllegalArgumentException.class,
          () -> storage.replaceLog(2, List.of(new LogEntry(2, new byte[1025]))));
    }
  }

  @Test
  void aClosedStorageRefusesEveryCall() throws Exception {
    FileStorage storage = open(tmp.resolve("node-1"));
    storage.load();
    storage.close();
    assertThrows(StorageFailedException.class, storage::sync);
    assertThrows(StorageFailedException.class, () -> storage.saveHardState(new HardState(1, 0)));
  }

  /**
   * A sync thread and a writing thread at once (group commit): every ticket a sync returns covers the
   * writes before it, and everything written is durable at the end.
   */
  @Test
  void aSyncThreadCoversWhatTheDriverWritesMeanwhile() throws Exception {
    Path dir = tmp.resolve("node-1");
    int count = 300;
    try (FileStorage storage = open(dir)) {
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
        long ticket = 0;
        for (int i = 1; i <= count; i++) {
          try {
            ticket = storage.replaceLog(i, List.of(entry(1, "c" + i)));
          } catch (StorageException e) {
            throw new IllegalStateException(e);
          }
        }
        return ticket;
      });
      long lastDurable = 0;
      int syncs = 0;
      while (!writer.isDone() || lastDurable < storage.lastTicket()) {
        long durable = storage.sync();
        assertTrue(durable >= lastDurable, "durable ticket went back from " + lastDurable + " to " + durable);
        lastDurable = durable;
        syncs++;
      }
      long lastTicket = writer.get(60, TimeUnit.SECONDS);
      assertEquals(lastTicket, storage.durableTicket());
      System.out.printf("group commit: %d single-entry writes made durable by %d syncs%n", count, syncs);
    }
    try (FileStorage storage = open(dir)) {
      List<LogEntry> log = storage.load().state().log();
      assertEquals(count, log.size());
      assertEquals(entry(1, "c" + count), log.get(count - 1));
    }
  }
}
