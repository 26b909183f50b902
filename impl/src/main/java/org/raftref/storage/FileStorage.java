package org.raftref.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/**
 * {@link Storage} in a data directory: a segmented log ({@link SegmentedLog}) and a hard-state file
 * ({@link HardStateFile}), owned by one node ({@link NodeIdFile}) and one process at a time (a lock file).
 * Format and recovery rules: {@code docs/storage.md}.
 *
 * <h2>Implementation overview</h2>
 * Writes are encoded into a {@link StagedLog} under this object's monitor and do no I/O. {@link #sync()}
 * takes everything staged as one batch and, holding {@link #ioLock} (one batch at a time), writes it in
 * this order: the hard state (atomically, fsynced), then a truncation of the log if the batch has one
 * (fsynced), then the records, then one fsync of the log. The hard state goes first because recovery
 * requires every entry's term to be at most the durable currentTerm. While a batch is written, the driver
 * keeps staging into a fresh buffer, and the next sync takes all of it: group commit.
 *
 * <p>Fields are guarded as marked: "this" (staging, read by any thread), "ioLock" (files, only the
 * thread inside {@link #sync()}, {@link #load()} or {@link #close()}), or volatile.
 */
public final class FileStorage implements Storage {

  /**
   * @param segmentBytes a segment is closed and a new one started when the next record would take it past
   *     this size (a record larger than it gets a segment of its own)
   * @param maxEntryBytes the largest command an entry may carry; larger ones are refused when written
   */
  public record Options(long segmentBytes, int maxEntryBytes) {

    public static final Options DEFAULTS = new Options(64L << 20, 16 << 20);

    public Options {
      if (segmentBytes < 64 || segmentBytes > SegmentedLog.MAX_FILE_BYTES / 2) {
        throw new IllegalArgumentException("segmentBytes must be in 64.." + SegmentedLog.MAX_FILE_BYTES / 2
            + ", was " + segmentBytes);
      }
      if (maxEntryBytes < 0 || maxEntryBytes > SegmentedLog.MAX_FILE_BYTES / 4) {
        throw new IllegalArgumentException("maxEntryBytes must be in 0.." + SegmentedLog.MAX_FILE_BYTES / 4
            + ", was " + maxEntryBytes);
      }
    }
  }

  private static final String LOCK = "LOCK";

  private final FileIo io;
  private final Path dir;
  private final int nodeId;
  private final Options options;
  private final Closeable directoryLock;
  private final ReentrantLock ioLock = new ReentrantLock();

  // Guarded by ioLock.
  private @Nullable SegmentedLog segments;

  // Guarded by "this".
  private boolean loaded;
  private boolean closed;
  private @Nullable StorageFailedException failure;
  /** The hard state as written (staged included). */
  private HardState hardState = HardState.INITIAL;
  /** The hard state to write at the next sync, if it changed. */
  private @Nullable HardState stagedHardState;
  /** Terms of the log as written (staged included), for the argument checks. */
  private final TermRuns terms = new TermRuns();
  /** The last index of the log once every batch handed to a sync is written. */
  private long flushedLastIndex;
  /** Keep only entries 1..stagedTruncateAfter of the flushed log at the next sync; -1 for no truncation. */
  private long stagedTruncateAfter = -1;
  /** Records for the next sync: entries staged.base() .. lastIndex. */
  private StagedLog staged = new StagedLog();
  /** The buffer of the last finished sync, reused as the next staging buffer (null while one is out). */
  private @Nullable StagedLog spare = new StagedLog();
  private long lastTicket;

  private volatile long durableTicket;

  private FileStorage(FileIo io, Path dir, int nodeId, Options options, Closeable directoryLock) {
    this.io = io;
    this.dir = dir;
    this.nodeId = nodeId;
    this.options = options;
    this.directoryLock = directoryLock;
  }

  /** Opens (creating it if needed) the data directory {@code dir} of node {@code nodeId}. */
  public static FileStorage open(Path dir, int nodeId) throws StorageException {
    return open(dir, nodeId, Options.DEFAULTS, FileIo.real());
  }

  /**
   * Opens the data directory {@code dir} of node {@code nodeId}, creating it if it does not exist, and locks
   * it. Does not read the log yet: {@link #load()} does.
   *
   * @throws StorageException if the directory belongs to another node, is not a data directory, is in use
   *     by another process, or cannot be created or read
   */
  public static FileStorage open(Path dir, int nodeId, Options options, FileIo io) throws StorageException {
    if (nodeId <= 0) {
      throw new IllegalArgumentException("nodeId must be positive, was " + nodeId);
    }
    Closeable lock;
    try {
      if (io.createDirectories(dir)) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
          io.syncDirectory(parent);
        }
      }
      lock = io.lock(dir.resolve(LOCK));
    } catch (IOException e) {
      throw new StorageException("cannot open data directory " + dir + ": " + reason(e), e);
    }
    try {
      checkOwner(io, dir, nodeId);
    } catch (StorageException e) {
      closeQuietly(lock);
      throw e;
    } catch (IOException e) {
      closeQuietly(lock);
      throw new StorageException("cannot read data directory " + dir + ": " + reason(e), e);
    }
    return new FileStorage(io, dir, nodeId, options, lock);
  }

  private static void checkOwner(FileIo io, Path dir, int nodeId) throws IOException, StorageException {
    if (io.exists(dir.resolve(NodeIdFile.NAME))) {
      int owner = NodeIdFile.read(io, dir);
      if (owner != nodeId) {
        throw new StorageException("data directory " + dir + " belongs to node " + owner + ", not to node "
            + nodeId);
      }
      return;
    }
    for (String name : io.list(dir)) {
      if (!name.equals(LOCK) && !name.equals(NodeIdFile.TEMP)) {
        throw new StorageException("data directory " + dir + " has no " + NodeIdFile.NAME + " file but holds "
            + name + ": it is not a Raft Reference data directory");
      }
    }
    NodeIdFile.create(io, dir, nodeId);
  }

  @Override
  public Recovery load() throws StorageException {
    ioLock.lock();
    try {
      synchronized (this) {
        if (loaded) {
          throw new IllegalStateException("load() was already called on this storage");
        }
        checkUsable();
      }
      List<String> repairs = new ArrayList<>();
      List<LogEntry> entries = new ArrayList<>();
      HardState recovered;
      SegmentedLog log;
      try {
        List<String> names = io.list(dir);
        deleteLeftovers(names, repairs);
        HardState onDisk = HardStateFile.read(io, dir, nodeId);
        recovered = onDisk != null ? onDisk : HardState.INITIAL;
        log = SegmentedLog.recover(io, dir, nodeId, options.segmentBytes(), options.maxEntryBytes(), names,
            recovered.currentTerm(), entries, repairs);
      } catch (IOException e) {
        throw new StorageException("cannot read data directory " + dir + ": " + reason(e), e);
      }
      segments = log;
      DurableState state = new DurableState(recovered, entries);
      synchronized (this) {
        loaded = true;
        hardState = recovered;
        for (LogEntry entry : entries) {
          terms.append(entry.term());
        }
        flushedLastIndex = entries.size();
        staged.reset(flushedLastIndex + 1);
      }
      return new Recovery(state, repairs);
    } finally {
      ioLock.unlock();
    }
  }

  private void deleteLeftovers(List<String> names, List<String> repairs) throws IOException {
    boolean deleted = false;
    for (String temp : List.of(HardStateFile.TEMP, NodeIdFile.TEMP)) {
      if (names.contains(temp)) {
        io.delete(dir.resolve(temp));
        repairs.add("deleted " + temp + ", left by a crash before its rename");
        deleted = true;
      }
    }
    if (deleted) {
      io.syncDirectory(dir);
    }
  }

  @Override
  public synchronized long saveHardState(HardState next) throws StorageException {
    checkWritable();
    WriteChecks.checkHardState(hardState.currentTerm(), next.currentTerm());
    if (!next.equals(hardState)) {
      hardState = next;
      stagedHardState = next;
    }
    return ++lastTicket;
  }

  @Override
  public synchronized long replaceLog(long firstIndex, List<LogEntry> entries) throws StorageException {
    checkWritable();
    long lastIndex = terms.lastIndex();
    long termBefore = firstIndex >= 1 && firstIndex <= lastIndex + 1 ? terms.termAt(firstIndex - 1) : 0;
    WriteChecks.checkReplace(firstIndex, entries, lastIndex, termBefore, hardState.currentTerm());
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).command().length > options.maxEntryBytes()) {
        throw new IllegalArgumentException("entry " + (firstIndex + i) + " has a " + entries.get(i).command().length
            + "-byte command, more than maxEntryBytes " + options.maxEntryBytes());
      }
    }
    long keptOfFlushed = stagedTruncateAfter >= 0 ? stagedTruncateAfter : flushedLastIndex;
    if (firstIndex <= keptOfFlushed) {
      // The change reaches into entries already handed to a sync: the next sync cuts the file first.
      stagedTruncateAfter = firstIndex - 1;
      staged.reset(firstIndex);
    } else {
      staged.trimFrom(firstIndex);
    }
    terms.truncateAfter(firstIndex - 1);
    for (LogEntry entry : entries) {
      staged.add(entry);
      terms.append(entry.term());
    }
    return ++lastTicket;
  }

  @Override
  public long sync() throws StorageException {
    long target;
    synchronized (this) {
      checkWritable();
      target = lastTicket;
    }
    ioLock.lock();
    try {
      if (durableTicket >= target) {
        return durableTicket; // an fsync that ran while this caller waited covered its writes
      }
      Batch batch;
      synchronized (this) {
        checkWritable();
        batch = takeBatch();
      }
      SegmentedLog log = segmentsLoaded();
      try {
        if (batch.hardState != null) {
          HardStateFile.write(io, dir, nodeId, batch.hardState);
        }
        if (batch.truncateAfter >= 0) {
          log.truncateAfter(batch.truncateAfter);
        }
        log.append(batch.records);
        log.sync();
      } catch (IOException | RuntimeException e) {
        throw fail("a write or fsync failed", e);
      }
      synchronized (this) {
        spare = batch.records;
      }
      durableTicket = batch.ticket;
      return batch.ticket;
    } finally {
      ioLock.unlock();
    }
  }

  /** What one sync writes: taken from the staging fields, which start over empty. */
  private record Batch(@Nullable HardState hardState, long truncateAfter, StagedLog records, long ticket) {}

  private Batch takeBatch() {
    Batch batch = new Batch(stagedHardState, stagedTruncateAfter, staged, lastTicket);
    stagedHardState = null;
    stagedTruncateAfter = -1;
    flushedLastIndex = terms.lastIndex();
    StagedLog next = spare != null ? spare : new StagedLog();
    spare = null;
    next.reset(flushedLastIndex + 1);
    staged = next;
    return batch;
  }

  @Override
  public long durableTicket() {
    return durableTicket;
  }

  @Override
  public synchronized long lastTicket() {
    return lastTicket;
  }

  @Override
  public synchronized long lastIndex() {
    return terms.lastIndex();
  }

  /** The data directory. */
  public Path directory() {
    return dir;
  }

  /** Segment files the log has now (for tests and tools). */
  public int segmentCount() {
    ioLock.lock();
    try {
      SegmentedLog log = segments;
      return log == null ? 0 : log.segmentCount();
    } finally {
      ioLock.unlock();
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ioLock.lock();
    try {
      SegmentedLog log = segments;
      if (log != null) {
        log.close();
      }
      closeQuietly(directoryLock);
    } finally {
      ioLock.unlock();
    }
  }

  private StorageFailedException fail(String what, Throwable cause) {
    StorageFailedException failed = new StorageFailedException("storage in " + dir + " failed: " + what + " ("
        + cause + "); nothing written since the last successful sync is durable, and this storage refuses"
        + " every further call: restart the node to recover from disk", cause);
    synchronized (this) {
      if (failure == null) {
        failure = failed;
      }
    }
    return failed;
  }

  private SegmentedLog segmentsLoaded() {
    SegmentedLog log = segments;
    if (log == null) {
      throw new IllegalStateException("call load() before writing");
    }
    return log;
  }

  private void checkUsable() throws StorageFailedException {
    StorageFailedException failed = failure;
    if (failed != null) {
      throw new StorageFailedException(String.valueOf(failed.getMessage()), failed);
    }
    if (closed) {
      throw new StorageFailedException("storage in " + dir + " is closed");
    }
  }

  private void checkWritable() throws StorageFailedException {
    checkUsable();
    if (!loaded) {
      throw new IllegalStateException("call load() before writing");
    }
  }

  /** What went wrong, in words: NIO's exceptions often carry only a path as their message. */
  static String reason(IOException e) {
    String message = String.valueOf(e.getMessage());
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + message;
    } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
      return message + " exists and is not a directory";
    } else if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or directory: " + message;
    } else if (e instanceof java.nio.file.NotDirectoryException) {
      return "not a directory: " + message;
    }
    return message;
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Nothing depends on it: releasing a lock or a read-only handle.
    }
  }
}
