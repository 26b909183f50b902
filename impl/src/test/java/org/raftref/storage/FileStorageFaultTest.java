package org.raftref.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;
import org.raftref.storage.SimFileIo.Unsynced;

/**
 * Faults injected under {@link FileStorage} through {@link SimFileIo}: a crash before every I/O operation,
 * a torn write at every byte of the last record, bit flips in every byte of every file, an fsync that
 * fails, a full disk. After each, the storage is reopened and what it recovers is checked against what was
 * acknowledged (a sync that returned): 0 acknowledged entries may be lost, and the storage must work again.
 *
 * <p>Seeded: a failure prints the seed; {@code -Draftref.seed=N} replays one seed.
 */
class FileStorageFaultTest {

  private static final Path DIR = Path.of("/sim/data/node-1");
  private static final int NODE = 1;
  /** Small segments, so that the workloads roll segments and truncate across them often. */
  private static final FileStorage.Options SMALL = new FileStorage.Options(200, 64);
  private static final long[] SEEDS = seeds(11, 12, 13);
  private static final int STEPS = 120;

  private static long[] seeds(long... defaults) {
    String given = System.getProperty("raftref.seed");
    return given == null ? defaults : new long[] {Long.parseLong(given)};
  }

  private static String replay(long seed, String test) {
    return " [seed " + seed + "; replay: mvn -B -q -pl impl test -Dtest='FileStorageFaultTest#" + test
        + "' -Draftref.seed=" + seed + " -Dsurefire.failIfNoSpecifiedTests=false]";
  }

  /** Opens and loads the data directory on {@code io}, then runs the workload until something throws. */
  private static Tracker run(SimFileIo io, Workload workload) {
    FileStorage storage;
    Tracker tracker;
    try {
      storage = FileStorage.open(DIR, NODE, SMALL, io);
      tracker = new Tracker(storage.load().state());
    } catch (StorageException | SimFileIo.Crash e) {
      tracker = new Tracker(DurableState.EMPTY);
      tracker.failure = e;
      return tracker;
    }
    workload.run(storage, tracker);
    if (tracker.failure == null) {
      storage.close();
    }
    return tracker;
  }

  /**
   * Reopens {@code image}, checks the recovered state against {@code tracker}, then checks the storage
   * still works: one more entry, synced, survives the next crash. Returns the acknowledged entries lost.
   */
  private static int recoverAndCheck(SimFileIo image, Tracker tracker, String what) {
    DurableState recovered;
    try (FileStorage storage = FileStorage.open(DIR, NODE, SMALL, image)) {
      recovered = storage.load().state();
      String problem = tracker.check(recovered);
      if (problem != null) {
        fail(what + ": " + problem);
      }
      long term = Math.max(1, recovered.hardState().currentTerm());
      storage.saveHardState(new HardState(term, recovered.hardState().votedFor()));
      storage.replaceLog(recovered.log().size() + 1, List.of(new LogEntry(term, new byte[] {42})));
      storage.sync();
    } catch (StorageException e) {
      throw new AssertionError(what + ": recovery failed: " + e.getMessage(), e);
    }
    SimFileIo again = image.crashImage(Unsynced.LOST);
    try (FileStorage storage = FileStorage.open(DIR, NODE, SMALL, again)) {
      List<LogEntry> log = storage.load().state().log();
      assertEquals(recovered.log().size() + 1, log.size(), what + ": the entry synced after recovery is missing");
    } catch (StorageException e) {
      throw new AssertionError(what + ": second recovery failed: " + e.getMessage(), e);
    }
    return tracker.lostAcknowledged(recovered);
  }

  @Test
  void aCrashBeforeAnyIoOperationLosesNoAcknowledgedEntry() {
    int cases = 0;
    int lost = 0;
    for (long seed : SEEDS) {
      Workload workload = Workload.generate(seed, STEPS, 40);
      SimFileIo dry = new SimFileIo();
      Tracker complete = run(dry, workload);
      assertTrue(complete.failure == null, "the fault-free run failed: " + complete.failure);
      int operations = dry.operations().size();
      for (int op = 1; op <= operations; op++) {
        SimFileIo io = new SimFileIo();
        io.crashAt(op);
        Tracker tracker = run(io, workload);
        assertInstanceOf(SimFileIo.Crash.class, tracker.failure, "no crash at operation " + op);
        for (Unsynced unsynced : Unsynced.values()) {
          String what = "crash before operation " + op + " (" + dry.operations().get(op - 1) + "), unsynced bytes "
              + unsynced + replay(seed, "aCrashBeforeAnyIoOperationLosesNoAcknowledgedEntry");
          lost += recoverAndCheck(io.crashImage(unsynced), tracker, what);
          cases++;
        }
      }
    }
    System.out.printf("storage fault test: crash points: %d recoveries, %d acknowledged entries lost%n", cases, lost);
    assertEquals(0, lost);
  }

  /** A record written after the last fsync, torn by a crash at every byte; with and without zero fill. */
  @Test
  void aTornLastRecordIsCutOffAtEveryByteOffset() {
    int cases = 0;
    int lost = 0;
    for (boolean newSegment : new boolean[] {false, true}) {
      for (long seed : SEEDS) {
        Workload workload = Workload.generate(seed, 40, 40);
        SimFileIo io = new SimFileIo();
        FileStorage.Options options = new FileStorage.Options(newSegment ? 64 : 1 << 20, 64);
        Tracker tracker;
        Path segment;
        try {
          FileStorage storage = FileStorage.open(DIR, NODE, options, io);
          tracker = new Tracker(storage.load().state());
          workload.run(storage, tracker);
          assertTrue(tracker.failure == null);
          long term = tracker.ackedHardState().currentTerm();
          Workload.ReplaceLog last = new Workload.ReplaceLog(tracker.ackedLog().size() + 1,
              List.of(new LogEntry(term, new byte[37])));
          storage.replaceLog(last.firstIndex(), last.entries());
          tracker.wrote(last);
          // The sync writes the record and fsyncs it (2 operations); in a new segment it first creates the file,
          // writes its header and fsyncs the directory (3 more). The crash comes just before that fsync.
          io.crashAt(io.operations().size() + (newSegment ? 5 : 2));
          assertThrows(SimFileIo.Crash.class, storage::sync);
          segment = DIR.resolve(Segment.fileName(newSegment ? last.firstIndex() : 1));
        } catch (StorageException e) {
          throw new AssertionError(e);
        }
        SimFileIo.Inode inode = io.inode(segment);
        int unsynced = inode.data.length - inode.durable.length;
        assertEquals(LogRecord.HEADER_BYTES + LogRecord.PAYLOAD_FIXED_BYTES + 37 + LogRecord.TRAILER_BYTES
            + (newSegment ? LogRecord.SEGMENT_HEADER_BYTES : 0), unsynced, "unsynced bytes of " + segment);
        for (int keep = 0; keep <= unsynced; keep++) {
          for (boolean zeroFill : new boolean[] {false, true}) {
            String what = "torn at byte " + keep + " of " + unsynced + (zeroFill ? ", zero-filled" : "")
                + (newSegment ? ", in a new segment" : "") + replay(seed, "aTornLastRecordIsCutOffAtEveryByteOffset");
            SimFileIo image = io.tornImage(segment, keep, zeroFill);
            // A repair is due unless the torn file happens to end where a record or the header ends.
            int cleanEnd = newSegment ? LogRecord.SEGMENT_HEADER_BYTES : 0;
            boolean repairs = keep < unsynced && !(keep == cleanEnd && !zeroFill);
            lost += recoverTornAndCheck(image, tracker, options, keep == unsynced, repairs, what);
            cases++;
          }
        }
      }
    }
    System.out.printf("storage fault test: torn writes: %d recoveries, %d acknowledged entries lost%n", cases, lost);
    assertEquals(0, lost);
  }

  private static int recoverTornAndCheck(SimFileIo image, Tracker tracker, FileStorage.Options options,
      boolean complete, boolean repairs, String what) {
    try (FileStorage storage = FileStorage.open(DIR, NODE, options, image)) {
      Storage.Recovery recovery = storage.load();
      List<LogEntry> expected = new ArrayList<>(tracker.ackedLog());
      if (complete) {
        expected.add(new LogEntry(tracker.ackedHardState().currentTerm(), new byte[37]));
      }
      assertEquals(expected, recovery.state().log(), what);
      assertEquals(repairs, !recovery.repairs().isEmpty(), what + ": repairs " + recovery.repairs());
      return tracker.lostAcknowledged(recovery.state());
    } catch (StorageException e) {
      throw new AssertionError(what + ": recovery failed: " + e.getMessage(), e);
    }
  }

  @Test
  void aFailedFsyncStopsTheStorageAndLosesNoAcknowledgedEntry() {
    int cases = 0;
    int lost = 0;
    for (long seed : SEEDS) {
      Workload workload = Workload.generate(seed, STEPS, 40);
      SimFileIo dry = new SimFileIo();
      run(dry, workload);
      List<SimFileIo.Op> ops = dry.operations();
      for (int op = 1; op <= ops.size(); op++) {
        if (ops.get(op - 1) != SimFileIo.Op.SYNC && ops.get(op - 1) != SimFileIo.Op.SYNC_DIRECTORY) {
          continue;
        }
        String what = "fsync " + op + " (" + ops.get(op - 1) + ") failed"
            + replay(seed, "aFailedFsyncStopsTheStorageAndLosesNoAcknowledgedEntry");
        SimFileIo io = new SimFileIo();
        io.failAt(op);
        FailedRun failed = runUntilFailure(io, workload, what);
        for (Unsynced unsynced : Unsynced.values()) {
          lost += recoverAndCheck(io.crashImage(unsynced), failed.tracker, what + ", unsynced bytes " + unsynced);
          cases++;
        }
      }
    }
    System.out.printf("storage fault test: failed fsyncs: %d recoveries, %d acknowledged entries lost%n", cases, lost);
    assertEquals(0, lost);
  }

  @Test
  void aFullDiskStopsTheStorageAndLosesNoAcknowledgedEntry() {
    int cases = 0;
    int lost = 0;
    for (long seed : SEEDS) {
      Workload workload = Workload.generate(seed, STEPS, 40);
      SimFileIo dry = new SimFileIo();
      run(dry, workload);
      long peak = dry.usedBytes() + 200;
      for (long capacity = 0; capacity <= peak; capacity += 7) {
        String what = "disk full at " + capacity + " bytes"
            + replay(seed, "aFullDiskStopsTheStorageAndLosesNoAcknowledgedEntry");
        SimFileIo io = new SimFileIo();
        io.capacity(capacity);
        Tracker tracker = run(io, workload);
        if (tracker.failure == null) {
          continue; // the workload fit: nothing to test at this capacity
        }
        FailedRun failed = checkRefusesFurtherUse(io, tracker, what);
        for (Unsynced unsynced : Unsynced.values()) {
          SimFileIo image = io.crashImage(unsynced);
          image.capacity(Long.MAX_VALUE); // the operator freed space
          lost += recoverAndCheck(image, failed.tracker, what + ", unsynced bytes " + unsynced);
          cases++;
        }
      }
    }
    System.out.printf("storage fault test: full disk: %d recoveries, %d acknowledged entries lost%n", cases, lost);
    assertEquals(0, lost);
  }

  private record FailedRun(Tracker tracker) {}

  private static FailedRun runUntilFailure(SimFileIo io, Workload workload, String what) {
    Tracker tracker = run(io, workload);
    assertNotNull(tracker.failure, what + ": the failure was not reported");
    return checkRefusesFurtherUse(io, tracker, what);
  }

  /** The storage must report the failure, refuse every later call, and do no I/O after it. */
  private static FailedRun checkRefusesFurtherUse(SimFileIo io, Tracker tracker, String what) {
    Throwable failure = tracker.failure;
    assertTrue(failure instanceof StorageException, what + ": unexpected " + failure);
    assertTrue(String.valueOf(failure.getMessage()).contains(DIR.toString()), what + ": " + failure.getMessage());
    assertEquals(0, io.operationsAfterFailure(), what + ": I/O after the failure");
    return new FailedRun(tracker);
  }

  /** After a failed sync, every later call refuses: a retried fsync must never be taken for success. */
  @Test
  void afterAFailedFsyncEveryCallRefuses() throws StorageException {
    SimFileIo io = new SimFileIo();
    FileStorage storage = FileStorage.open(DIR, NODE, SMALL, io);
    storage.load();
    storage.saveHardState(new HardState(1, 0));
    storage.replaceLog(1, List.of(new LogEntry(1, new byte[] {1})));
    io.failAt(io.operations().size() + 1);
    StorageFailedException first = assertThrows(StorageFailedException.class, storage::sync);
    assertTrue(first.getMessage().contains("restart"), first.getMessage());
    assertThrows(StorageFailedException.class, storage::sync);
    assertThrows(StorageFailedException.class, () -> storage.saveHardState(new HardState(2, 0)));
    assertThrows(StorageFailedException.class, () -> storage.replaceLog(2, List.of(new LogEntry(1, new byte[0]))));
    assertEquals(0, storage.durableTicket());
    assertEquals(0, io.operationsAfterFailure());
  }

  @Test
  void aBitFlipAnywhereIsDetectedNeverSilentlyAccepted() {
    int cases = 0;
    int detected = 0;
    for (long seed : SEEDS) {
      Workload workload = Workload.generate(seed, STEPS, 40);
      SimFileIo io = new SimFileIo();
      Tracker tracker = run(io, workload);
      assertTrue(tracker.failure == null);
      SimFileIo clean = io.crashImage(Unsynced.LOST);
      SplittableRandom random = new SplittableRandom(seed);
      for (Path file : clean.files()) {
        int length = clean.inode(file).data.length;
        for (int offset = 0; offset < length; offset++) {
          SimFileIo image = clean.crashImage(Unsynced.LOST);
          SimFileIo.Inode inode = image.inode(file);
          inode.data[offset] ^= (byte) (1 << random.nextInt(8));
          inode.durable = inode.data.clone();
          String what = "bit flip in " + file.getFileName() + " at offset " + offset
              + replay(seed, "aBitFlipAnywhereIsDetectedNeverSilentlyAccepted");
          cases++;
          try (FileStorage storage = FileStorage.open(DIR, NODE, SMALL, image)) {
            DurableState recovered = storage.load().state();
            fail(what + ": accepted, recovering " + recovered.log().size() + " entries"
                + (tracker.check(recovered) == null ? "" : " (" + tracker.check(recovered) + ")"));
          } catch (CorruptionException e) {
            assertEquals(file, e.file(), what);
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset"), what);
            detected++;
          } catch (StorageException e) {
            assertTrue(e.getMessage().contains(file.toString()) || e.getMessage().contains("belongs to node"),
                what + ": " + e.getMessage());
            detected++;
          }
        }
      }
    }
    System.out.printf("storage fault test: bit flips: %d cases, %d detected, %d accepted%n", cases, detected,
        cases - detected);
    assertEquals(cases, detected);
  }
}
