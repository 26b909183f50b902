package org.raftref.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import org.raftref.core.HardState;
import org.raftref.core.Ready;
import org.raftref.message.LogEntry;
import org.raftref.storage.FileStorage;
import org.raftref.storage.StorageException;

/**
 * Appending 100-byte entries to {@link FileStorage}, the way the runtime's driver does: one
 * {@link FileStorage#write(Ready)} per Ready (it only stages), and {@link FileStorage#sync()} to make the
 * staged writes durable (one fsync of the log for all of them).
 *
 * <p>Unit: ops/s. One op is one entry appended: one {@code write} of a Ready carrying that entry, plus its
 * share of the {@code sync} calls the scenario makes (none, one per entry, or one per 100 entries).
 *
 * <p>Each measurement iteration gets a fresh data directory under {@code tmpRoot} (default {@code /tmp};
 * {@code -p tmpRoot=DIR} measures another file system), deleted when the iteration ends. The fsync numbers
 * say what that file system's fsync costs on this machine, nothing more.
 *
 * <p>MemoryStorage is not measured: its sync copies the whole log, so its cost per entry grows with the
 * log and says nothing about the file storage.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogAppendBenchmark {

  static final int WRITES_PER_BATCH = 1000;
  static final int ENTRIES_PER_SYNC = 100;

  /** A FileStorage of node 1 in a fresh directory, with currentTerm 1 durable so entries of term 1 fit. */
  @State(Scope.Thread)
  public static class Disk {

    @Param("/tmp")
    String tmpRoot;

    Path dir = Path.of(".");
    FileStorage storage;
    /** A one-entry list: Ready copies its lists, and List.copyOf returns an immutable list as it is. */
    final List<LogEntry> oneEntry = List.of(new LogEntry(1, RaftNodeStepBenchmark.command(0)));
    long nextIndex = 1;

    @Setup(Level.Iteration)
    public void open() throws IOException, StorageException {
      dir = Files.createTempDirectory(Path.of(tmpRoot), "raftref-jmh-");
      storage = FileStorage.open(dir.resolve("node-1"), 1);
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      storage.sync();
      nextIndex = 1;
    }

    @TearDown(Level.Iteration)
    public void closeAndDelete() throws IOException {
      storage.close();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }

    /** The Ready a node hands its driver when it appended one entry: only that entry to persist. */
    Ready nextEntry() {
      return new Ready(null, nextIndex++, oneEntry, List.of(), 1, List.of());
    }
  }

  /** {@link Disk}, synced untimed after every invocation so that staged writes do not pile up in memory. */
  @State(Scope.Thread)
  public static class DiskSyncedBetweenBatches extends Disk {

    @TearDown(Level.Invocation)
    public void syncBatch() throws StorageException {
      storage.sync();
    }
  }

  /** (a) Staging one entry, without sync: the cost the driver pays before it fsyncs. */
  @Benchmark
  @OperationsPerInvocation(WRITES_PER_BATCH)
  public void writeWithoutSync(DiskSyncedBetweenBatches disk, Blackhole blackhole) throws StorageException {
    for (int i = 0; i < WRITES_PER_BATCH; i++) {
      blackhole.consume(disk.storage.write(disk.nextEntry()));
    }
  }

  /** (b) One entry made durable on its own: write, then sync (one fsync per entry). */
  @Benchmark
  public long writeAndSyncEachEntry(Disk disk) throws StorageException {
    disk.storage.write(disk.nextEntry());
    return disk.storage.sync();
  }

  /** (c) Group commit: 100 entries written one Ready at a time, then one sync for all of them. */
  @Benchmark
  @OperationsPerInvocation(ENTRIES_PER_SYNC)
  public long writeHundredThenSync(Disk disk, Blackhole blackhole) throws StorageException {
    for (int i = 0; i < ENTRIES_PER_SYNC; i++) {
      blackhole.consume(disk.storage.write(disk.nextEntry()));
    }
    return disk.storage.sync();
  }
}
