package org.raftref.storage;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.file.Path;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/**
 * Group commit in {@link FileStorage}: the driver stages entries (under the storage's monitor) while another
 * thread calls {@code sync()}; the staged batch is handed from the staging thread to whichever thread syncs.
 * The files are {@link SimFileIo}'s (in memory, with a crash image that keeps only what was fsynced), so that
 * one storage per sample is cheap; the storage code is the production code.
 */
@JCStressTest
@Description("A sync() that returns has made durable every write staged before it was called, whichever thread's"
    + " fsync covered them, and concurrent syncs never lose or reorder a staged entry. The driver stages entries"
    + " 1 and 2 (tickets 2 and 3, after the hard state's ticket 1) and syncs; a sync thread syncs at the same"
    + " time. Result: the driver's sync() ticket, the sync thread's ticket, the log length after a crash that"
    + " loses everything not fsynced, and 1 if that log holds exactly the entries written.")
@Outcome(id = "3, 1, 2, 1", expect = ACCEPTABLE, desc = "The sync thread found nothing new (ran before staging).")
@Outcome(id = "3, 2, 2, 1", expect = ACCEPTABLE, desc = "The sync thread made entry 1 durable, the driver entry 2.")
@Outcome(id = "3, 3, 2, 1", expect = ACCEPTABLE, desc = "One fsync covered both entries (group commit).")
@Outcome(expect = FORBIDDEN, desc = "The driver's sync returned below its last ticket, or an entry that a returned"
    + " sync covered is missing or different after the crash: an acknowledged write would be lost.")
@State
public class GroupCommitStress {

  private static final Path DIR = Path.of("/sim/node-1");
  private static final LogEntry ONE = new LogEntry(1, new byte[] {1});
  private static final LogEntry TWO = new LogEntry(1, new byte[] {2});

  private final SimFileIo io = new SimFileIo();
  private final FileStorage storage;

  public GroupCommitStress() {
    try {
      storage = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS, io);
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      storage.sync();
    } catch (StorageException e) {
      throw new IllegalStateException("setting up the storage failed", e);
    }
  }

  @Actor
  public void driver(IIII_Result r) {
    try {
      storage.replaceLog(1, List.of(ONE));
      storage.replaceLog(2, List.of(TWO));
      r.r1 = (int) storage.sync();
    } catch (StorageException e) {
      r.r1 = -1;
    }
  }

  @Actor
  public void syncThread(IIII_Result r) {
    try {
      r.r2 = (int) storage.sync();
    } catch (StorageException e) {
      r.r2 = -1;
    }
  }

  @Arbiter
  public void afterCrash(IIII_Result r) {
    try (FileStorage recovered = FileStorage.open(DIR, 1, FileStorage.Options.DEFAULTS,
        io.crashImage(SimFileIo.Unsynced.LOST))) {
      List<LogEntry> log = recovered.load().state().log();
      r.r3 = log.size();
      r.r4 = log.equals(List.of(ONE, TWO)) ? 1 : 0;
    } catch (StorageException e) {
      r.r3 = -1;
    }
  }
}
