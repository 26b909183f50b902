package org.raftref.runtime;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.raftref.message.LogEntry;

/**
 * The proposals this server appended as leader and whose fate is not known yet, by log index.
 *
 * <p>A proposal is identified by its (index, term): by the Log Matching property (§5.3) two logs whose
 * entries at an index have the same term hold the same entry there. So when the entry applied at
 * {@code index} has the proposal's term, it is the proposal's entry, and the state machine's result is the
 * proposal's result; when it has another term, a later leader replaced it (§5.3), and the proposal failed
 * with {@link EntryOverwrittenException}. A replacement is also noticed earlier, when a Ready rewrites the
 * log from an index on ({@link #logReplaced}), so that a client need not wait for the index to commit.
 *
 * <p>Confined to the driver thread: registered after {@code propose}, resolved at apply; only the
 * {@link Completions} it fills leave the thread.
 */
final class PendingProposals {

  private record Pending(long term, CompletableFuture<byte[]> future) {}

  private final TreeMap<Long, Pending> byIndex = new TreeMap<>();

  /** The leader appended a proposal at {@code index} in {@code term}. */
  void register(long index, long term, CompletableFuture<byte[]> future, Completions out) {
    Pending replaced = byIndex.put(index, new Pending(term, future));
    if (replaced != null) {
      // Only a new leader's entry takes an index again, so the earlier proposal there is gone.
      out.fail(replaced.future(), new EntryOverwrittenException(index, replaced.term(), term));
    }
  }

  /**
   * The log from {@code firstIndex} on is now {@code entries} (a Ready's log change, not empty): a proposal
   * whose index lies beyond the new log, or holds an entry of another term, was overwritten.
   */
  void logReplaced(long firstIndex, List<LogEntry> entries, Completions out) {
    long lastIndex = firstIndex + entries.size() - 1;
    Iterator<Map.Entry<Long, Pending>> tail = byIndex.tailMap(firstIndex, true).entrySet().iterator();
    while (tail.hasNext()) {
      Map.Entry<Long, Pending> e = tail.next();
      long index = e.getKey();
      long termNow = index <= lastIndex ? entries.get((int) (index - firstIndex)).term() : 0;
      if (termNow != e.getValue().term()) {
        out.fail(e.getValue().future(), new EntryOverwrittenException(index, e.getValue().term(), termNow));
        tail.remove();
      }
    }
  }

  /** The entry at {@code index}, of {@code term}, was applied with {@code result}. */
  void applied(long index, long term, byte[] result, Completions out) {
    Pending pending = byIndex.remove(index);
    if (pending == null) {
      return;
    }
    if (pending.term() == term) {
      out.succeed(pending.future(), result);
    } else {
      out.fail(pending.future(), new EntryOverwrittenException(index, pending.term(), term));
    }
  }

  /** The server stops: every proposal still waiting fails with {@code cause}. */
  void failAll(Throwable cause, Completions out) {
    for (Pending pending : byIndex.values()) {
      out.fail(pending.future(), cause);
    }
    byIndex.clear();
  }

  int size() {
    return byIndex.size();
  }
}
