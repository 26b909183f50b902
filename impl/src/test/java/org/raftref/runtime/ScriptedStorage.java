package org.raftref.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;
import org.raftref.storage.MemoryStorage;
import org.raftref.storage.Storage;
import org.raftref.storage.StorageException;
import org.raftref.storage.StorageFailedException;

/**
 * A {@link MemoryStorage} that a test can steer: it records which log indexes each sync made durable, can
 * hold a sync until released (to let inputs pile up behind it), and can fail a sync.
 */
final class ScriptedStorage implements Storage {

  private final MemoryStorage delegate = new MemoryStorage();
  private final Object lock = new Object();
  // Guarded by lock.
  private final List<Long> staged = new ArrayList<>();
  private final List<List<Long>> syncedBatches = new ArrayList<>();
  private CountDownLatch holdNext = new CountDownLatch(0);
  private CountDownLatch entered = new CountDownLatch(0);
  private boolean failNext;
  private byte @org.checkerframework.checker.nullness.qual.Nullable [] failCommand;
  private boolean closed;

  /** The next sync waits for {@link #release()}; returns a latch that opens when the sync has started. */
  CountDownLatch holdNextSync() {
    synchronized (lock) {
      holdNext = new CountDownLatch(1);
      entered = new CountDownLatch(1);
      return entered;
    }
  }

  void release() {
    synchronized (lock) {
      holdNext.countDown();
    }
  }

  /**
   * The sync that would make an entry with {@code command} durable fails, as an fsync that reports an error
   * does (on whichever node stages it); the storage refuses everything after.
   */
  void failSyncOf(byte[] command) {
    synchronized (lock) {
      failCommand = command.clone();
    }
  }

  /** For each sync that returned, the log indexes it made durable, in order. */
  List<List<Long>> syncedBatches() {
    synchronized (lock) {
      return List.copyOf(syncedBatches);
    }
  }

  boolean closed() {
    synchronized (lock) {
      return closed;
    }
  }

  @Override
  public Recovery load() throws StorageException {
    return delegate.load();
  }

  @Override
  public long saveHardState(HardState hardState) throws StorageException {
    return delegate.saveHardState(hardState);
  }

  @Override
  public long replaceLog(long firstIndex, List<LogEntry> entries) throws StorageException {
    long ticket = delegate.replaceLog(firstIndex, entries);
    synchronized (lock) {
      for (LogEntry entry : entries) {
        failNext |= failCommand != null && java.util.Arrays.equals(failCommand, entry.command());
      }
      staged.removeIf(index -> index >= firstIndex);
      for (int i = 0; i < entries.size(); i++) {
        staged.add(firstIndex + i);
      }
    }
    return ticket;
  }

  @Override
  public long sync() throws StorageException {
    CountDownLatch hold;
    synchronized (lock) {
      hold = holdNext;
      entered.countDown();
      if (failNext) {
        delegate.close(); // refuses every later call, like a storage after a failed fsync
        throw new StorageFailedException("injected fsync failure");
      }
    }
    try {
      if (!hold.await(60, TimeUnit.SECONDS)) {
        throw new StorageFailedException("the test never released the held sync");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageFailedException("interrupted in a held sync", e);
    }
    long ticket = delegate.sync();
    synchronized (lock) {
      syncedBatches.add(List.copyOf(staged));
      staged.clear();
    }
    return ticket;
  }

  @Override
  public long durableTicket() {
    return delegate.durableTicket();
  }

  @Override
  public long lastTicket() {
    return delegate.lastTicket();
  }

  @Override
  public long lastIndex() {
    return delegate.lastIndex();
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
    delegate.close();
  }
}
