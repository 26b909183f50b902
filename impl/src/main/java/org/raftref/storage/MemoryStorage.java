package org.raftref.storage;

import java.util.ArrayList;
import java.util.List;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/**
 * {@link Storage} in memory, with the same contract as {@link FileStorage}: writes are staged, and only
 * {@link #sync()} makes them durable. {@link #afterCrash()} is the storage a restarted node finds: what was
 * synced, nothing else. For tests of drivers; it cannot fail and never finds damage.
 *
 * <p>Thread-safe: every method holds this object's monitor (sync does no I/O, so it never waits long).
 */
public final class MemoryStorage implements Storage {

  // All fields guarded by "this".
  private HardState durableHardState;
  private final ArrayList<LogEntry> durableLog;
  private HardState hardState;
  private final ArrayList<LogEntry> log;
  private long lastTicket;
  private long durableTicket;
  private boolean loaded;
  private boolean closed;

  /** An empty storage, as on a node's first start. */
  public MemoryStorage() {
    this(DurableState.EMPTY);
  }

  /** A storage holding {@code durable}, as if it had been synced before a crash. */
  public MemoryStorage(DurableState durable) {
    this.durableHardState = durable.hardState();
    this.durableLog = new ArrayList<>(durable.log());
    this.hardState = durableHardState;
    this.log = new ArrayList<>(durableLog);
  }

  @Override
  public synchronized Recovery load() {
    if (loaded) {
      throw new IllegalStateException("load() was already called on this storage");
    }
    loaded = true;
    return new Recovery(new DurableState(durableHardState, durableLog), List.of());
  }

  @Override
  public synchronized long saveHardState(HardState next) throws StorageException {
    checkWritable();
    WriteChecks.checkHardState(hardState.currentTerm(), next.currentTerm());
    hardState = next;
    return ++lastTicket;
  }

  @Override
  public synchronized long replaceLog(long firstIndex, List<LogEntry> entries) throws StorageException {
    checkWritable();
    long termBefore = firstIndex >= 2 && firstIndex - 1 <= log.size() ? log.get((int) firstIndex - 2).term() : 0;
    WriteChecks.checkReplace(firstIndex, entries, log.size(), termBefore, hardState.currentTerm());
    log.subList((int) firstIndex - 1, log.size()).clear();
    log.addAll(entries);
    return ++lastTicket;
  }

  @Override
  public synchronized long sync() throws StorageException {
    checkWritable();
    durableHardState = hardState;
    durableLog.clear();
    durableLog.addAll(log);
    durableTicket = lastTicket;
    return durableTicket;
  }

  @Override
  public synchronized long durableTicket() {
    return durableTicket;
  }

  @Override
  public synchronized long lastTicket() {
    return lastTicket;
  }

  @Override
  public synchronized long lastIndex() {
    return log.size();
  }

  /** A new storage holding only what this one made durable: what a node finds after a crash. */
  public synchronized MemoryStorage afterCrash() {
    return new MemoryStorage(new DurableState(durableHardState, durableLog));
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void checkWritable() throws StorageFailedException {
    if (!loaded) {
      throw new IllegalStateException("call load() before writing");
    }
    if (closed) {
      throw new StorageFailedException("memory storage is closed");
    }
  }
}
