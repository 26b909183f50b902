package org.raftref.runtime.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a server keeps the start of its journal while it runs: in a directory of a memory file system
 * (tmpfs, {@code /dev/shm} on Linux), up to {@link #limitBytes()}, the rest on the disk next to the trace.
 *
 * <p>Why: a journal on the disk is written back by the kernel every 30 seconds in bursts of everything the
 * journal gained since, and those writes queue with the fsyncs of the node's log, the commit path. In memory
 * the journal costs no disk write at all until the server stops and converts it. A file in tmpfs outlives
 * the process as the page cache does, so a journal kept there survives {@code kill -9} as one on the disk
 * does; it does not survive the machine restarting (see {@link TraceFiles#journalExists}).
 *
 * <p>The memory is bounded: past the limit the journal continues on the disk
 * ({@link TraceFiles.Incarnation#continuation()}). A journal is kept in memory only if the directory has
 * room for twice the limit, so that several nodes on one machine, and other users of the directory, still
 * fit; otherwise the whole journal goes to the disk, and {@link Placement#describe()} says why.
 */
public record JournalMemory(Path dir, long limitBytes) {

  /** Linux's memory file system for everyone. */
  public static final Path DEFAULT_DIR = Path.of("/dev/shm");
  /** About two and a half minutes of a leader taking 65,000 writes a second (docs/runtime.md). */
  public static final long DEFAULT_LIMIT_BYTES = 256L << 20;
  /** The least limit: the journal's header and its first records take a page. */
  public static final long MIN_LIMIT_BYTES = 4096;
  /** No memory: the journal is a file in the trace directory from the start. */
  public static final JournalMemory NONE = new JournalMemory(DEFAULT_DIR, 0);

  public JournalMemory {
    if (limitBytes != 0 && limitBytes < MIN_LIMIT_BYTES) {
      throw new IllegalArgumentException("a journal's memory limit is 0 (none) or at least " + MIN_LIMIT_BYTES
          + " bytes (a page), was " + limitBytes);
    }
  }

  /**
   * Where one journal goes: {@code memoryDir} null for the disk from the start, with a sentence saying where
   * and, for the disk, why.
   */
  public record Placement(@Nullable Path memoryDir, long limitBytes, String describe) {

    /** The whole journal in the trace directory. */
    public static final Placement DISK = new Placement(null, 0, "journal on the disk");
  }

  /** Where a journal goes now, given the room the directory has: see the class comment. */
  Placement place() {
    if (limitBytes == 0) {
      return Placement.DISK;
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      return new Placement(null, 0, "journal on the disk: " + dir + " is not a writable directory");
    }
    long usable;
    try {
      usable = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      return new Placement(null, 0, "journal on the disk: the free space of " + dir + " is unknown: " + e);
    }
    return place(usable);
  }

  /** Where a journal goes if the directory has {@code usableBytes} free. */
  Placement place(long usableBytes) {
    if (limitBytes == 0) {
      return Placement.DISK;
    }
    if (usableBytes / 2 < limitBytes) {
      return new Placement(null, 0, "journal on the disk: " + dir + " has " + megabytes(usableBytes)
          + " free, less than twice the memory limit of " + megabytes(limitBytes));
    }
    return new Placement(dir, limitBytes, "journal in memory (" + dir + ", up to " + megabytes(limitBytes)
        + ", then on the disk)");
  }

  private static String megabytes(long bytes) {
    return (bytes >> 20) + " MB";
  }
}
