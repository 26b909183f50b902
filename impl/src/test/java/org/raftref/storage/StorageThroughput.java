package org.raftref.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/**
 * Measures fsync'd append throughput of {@link FileStorage}: 100-byte commands, 1, 10 and 100 entries per
 * sync, and the same pattern on a bare {@link FileChannel} (write + force) for comparison. Not a test: a
 * measurement to run by hand (see docs/storage.md for the command and the numbers).
 *
 * <p>Usage: {@code StorageThroughput DIR [SECONDS_PER_ROUND [ROUNDS]]}; DIR is created and emptied.
 */
public final class StorageThroughput {

  private static final int COMMAND_BYTES = 100;

  private StorageThroughput() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: StorageThroughput DIR [SECONDS_PER_ROUND [ROUNDS]]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    // On a shared disk the cost of an fsync changes from second to second: the two cases alternate,
    // round after round, and the table gives the median round and the range.
    System.out.printf("%-30s %6s %22s %22s %12s%n", "case", "batch", "entries/s median", "(min..max)",
        "sync p50 us");
    for (int batch : new int[] {1, 10, 100}) {
      run(root, batch, seconds / 4, null); // warm-up
      raw(root, batch, seconds / 4, null);
      List<double[]> storage = new ArrayList<>();
      List<double[]> bare = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        run(root, batch, seconds, storage);
        raw(root, batch, seconds, bare);
      }
      print("FileStorage replaceLog+sync", batch, storage);
      print("bare FileChannel write+force", batch, bare);
    }
  }

  /** Each round is {entries per second, median sync latency in microseconds}. */
  private static void print(String name, int batch, List<double[]> rounds) {
    double[] rates = rounds.stream().mapToDouble(r -> r[0]).sorted().toArray();
    double[] p50s = rounds.stream().mapToDouble(r -> r[1]).sorted().toArray();
    System.out.printf("%-30s %6d %22.0f %22s %12.0f%n", name, batch, rates[rates.length / 2],
        String.format("(%.0f..%.0f)", rates[0], rates[rates.length - 1]), p50s[p50s.length / 2]);
  }

  private static void run(Path root, int batch, double seconds, List<double[]> results) throws Exception {
    Path dir = fresh(root.resolve("filestorage"));
    byte[] command = new byte[COMMAND_BYTES];
    Arrays.fill(command, (byte) 7);
    List<Long> syncNanos = new ArrayList<>();
    long entries = 0;
    try (FileStorage storage = FileStorage.open(dir, 1)) {
      storage.load();
      storage.saveHardState(new HardState(1, 0));
      storage.sync();
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long index = 1;
      while (System.nanoTime() < end) {
        List<LogEntry> group = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          group.add(new LogEntry(1, command));
        }
        long t0 = System.nanoTime();
        storage.replaceLog(index, group);
        storage.sync();
        syncNanos.add(System.nanoTime() - t0);
        index += batch;
        entries += batch;
      }
      record(results, entries, syncNanos, System.nanoTime() - start);
    }
  }

  /** The same pattern with no storage format at all: 128-byte writes (a record's size) and force(false). */
  private static void raw(Path root, int batch, double seconds, List<double[]> results) throws IOException {
    Path dir = fresh(root.resolve("raw"));
    List<Long> syncNanos = new ArrayList<>();
    long entries = 0;
    ByteBuffer records = ByteBuffer.allocate(batch * (COMMAND_BYTES + 29));
    try (FileChannel channel = FileChannel.open(dir.resolve("log"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      long start = System.nanoTime();
      long end = start + (long) (seconds * 1e9);
      long position = 0;
      while (System.nanoTime() < end) {
        long t0 = System.nanoTime();
        records.clear();
        while (records.hasRemaining()) {
          position += channel.write(records, position);
        }
        channel.force(false);
        syncNanos.add(System.nanoTime() - t0);
        entries += batch;
      }
      record(results, entries, syncNanos, System.nanoTime() - start);
    }
  }

  private static void record(List<double[]> results, long entries, List<Long> syncNanos, long elapsed) {
    if (results == null) {
      return;
    }
    long[] sorted = syncNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    results.add(new double[] {entries / (elapsed / 1e9), sorted[sorted.length / 2] / 1e3});
  }

  private static Path fresh(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }
}
