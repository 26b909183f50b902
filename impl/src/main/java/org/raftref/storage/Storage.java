package org.raftref.storage;

import java.util.List;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.core.Ready;
import org.raftref.message.LogEntry;

/**
 * A node's durable hard state and log, as the runtime's driver uses them.
 *
 * <h2>Writes, tickets and sync (group commit)</h2>
 * {@link #saveHardState} and {@link #replaceLog} only <em>stage</em> a change: they do no I/O and return at
 * once with a <em>ticket</em>, a number that grows with every write. {@link #sync()} makes every write staged
 * before the call durable (the hard state first, then the log, with one fsync of the log for all staged
 * entries) and returns the highest ticket now durable. A write is acknowledged-safe exactly when
 * {@code durableTicket() >= its ticket}; nothing that depends on it (a vote, an AppendEntries reply, a
 * leader counting itself toward a commit) may leave the node before that.
 *
 * <p>Two ways to use it, both correct:
 * <ul>
 *   <li>The driver writes one or several Readies ({@link #write(Ready)}) and then calls {@link #sync()}
 *       once: one fsync covers them all.</li>
 *   <li>A sync thread calls {@link #sync()} in a loop while the driver keeps writing: every entry staged
 *       while one fsync runs is covered by the next one. Concurrent callers of {@link #sync()} coalesce:
 *       a caller whose writes are already covered by a finished fsync returns without doing I/O.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Every method is thread-safe. Writes are meant to come from one thread (the driver), in the order the
 * node produced them; {@link #sync()} may be called from any thread, and I/O happens only inside it.
 *
 * <h2>Failure</h2>
 * If a write or fsync fails, the storage refuses every later call with {@link StorageFailedException}: it
 * never carries on as if an fsync had succeeded. The node must stop and restart from {@link #load()}.
 *
 * <h2>Crash</h2>
 * After a crash, {@link #load()} returns a state that holds every write made durable by a {@link #sync()}
 * that returned, plus possibly a part of what was staged later: the hard state is one of those saved, and
 * the log is a prefix of a log the writes produced that keeps every synced entry no later write replaced.
 */
public interface Storage extends AutoCloseable {

  /**
   * Recovers and returns what is durable: the hard state, the log, and what recovery had to repair.
   * Called once, before any other method.
   *
   * @throws CorruptionException if data that may have been acknowledged is damaged (names file and offset)
   * @throws StorageException if the storage cannot be read
   */
  Recovery load() throws StorageException;

  /** Stages {@code hardState} to replace the current one. Returns the write's ticket. */
  long saveHardState(HardState hardState) throws StorageException;

  /**
   * Stages a log change: the log from {@code firstIndex} on is replaced by {@code entries}, that is, entries
   * at {@code firstIndex} and after are removed and {@code entries} appended (an empty list truncates).
   * Requires {@code 1 <= firstIndex <= lastIndex() + 1}, entry terms positive, non-decreasing and at most
   * the current term of the hard state. The command arrays are not copied and must not change. Returns the
   * write's ticket.
   */
  long replaceLog(long firstIndex, List<LogEntry> entries) throws StorageException;

  /**
   * Stages step 1 of a {@link Ready}: its hard state (if any) and its log change ("the log from
   * firstEntryIndex on is replaced by entries"; an empty list changes nothing). Returns the ticket of the
   * last write it staged, or {@link #lastTicket()} if the Ready had nothing to persist.
   */
  default long write(Ready ready) throws StorageException {
    long ticket = lastTicket();
    if (ready.hardState() != null) {
      ticket = saveHardState(ready.hardState());
    }
    if (!ready.entries().isEmpty()) {
      ticket = replaceLog(ready.firstEntryIndex(), ready.entries());
    }
    return ticket;
  }

  /**
   * Makes every write staged before this call durable, with at most one atomic hard-state replace and one
   * fsync of the log; returns the highest ticket now durable (at least the last ticket handed out before
   * the call).
   *
   * @throws StorageFailedException if this or an earlier write or fsync failed; nothing staged since the
   *     last successful sync may be treated as durable, and the storage is unusable from now on
   */
  long sync() throws StorageException;

  /** The highest ticket known durable: every write with a ticket up to it survives a crash. */
  long durableTicket();

  /** The ticket of the latest write (0 before the first); {@code sync()} makes it durable. */
  long lastTicket();

  /** The index of the last log entry, staged entries included (0 for an empty log). */
  long lastIndex();

  /** Releases files and locks. Staged writes that were not synced are dropped, as a crash would drop them. */
  @Override
  void close();

  /** What {@link #load()} found. */
  record Recovery(DurableState state, List<String> repairs) {

    public Recovery {
      repairs = List.copyOf(repairs);
    }

    /** One line for a log: the state's size and every repair. */
    public String describe() {
      return "recovered term " + state.hardState().currentTerm() + ", votedFor " + state.hardState().votedFor()
          + ", " + state.log().size() + " log entries"
          + (repairs.isEmpty() ? "; nothing repaired" : "; repaired: " + String.join("; ", repairs));
    }
  }
}
