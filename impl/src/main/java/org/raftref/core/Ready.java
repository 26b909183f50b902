package org.raftref.core;

import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;

/**
 * A batch of work a node hands to its driver. The driver must, in this order:
 * <ol>
 *   <li>make {@code hardState} (if not null) and the log change durable: the log from
 *       {@code firstEntryIndex} on is replaced by {@code entries} (an empty list changes nothing);</li>
 *   <li>call {@link RaftNode#advance(Ready)}: the node records that this state is durable;</li>
 *   <li>send {@code messages}: they may depend on the state just persisted (thesis §3.8), which is why they
 *       never leave before step 1 — except those {@link #mayLeaveBeforePersist} allows, which the driver
 *       may send before step 1 so that the leader's own write overlaps replication;</li>
 *   <li>apply {@code committedEntries} to the state machine, in order; the first has index
 *       {@code firstCommittedIndex}.</li>
 * </ol>
 * Nothing may be stepped into the node between {@link RaftNode#ready()} and {@link RaftNode#advance}.
 */
public record Ready(
    @Nullable HardState hardState,
    long firstEntryIndex,
    List<LogEntry> entries,
    List<Message> messages,
    long firstCommittedIndex,
    List<LogEntry> committedEntries) {

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    committedEntries = List.copyOf(committedEntries);
  }

  /**
   * True if {@code message} may be sent before this Ready is durable: an {@link AppendEntriesRequest}
   * (thesis §10.2.1, the leader writes its log in parallel with replicating it). That is safe because
   * nothing in it depends on state this Ready persists: the leader's term was durable before any vote
   * for it could be granted (a RequestVote leaves only after its Persist), its commit index is volatile,
   * and a follower may store entries the leader has not yet made durable — the leader counts itself toward
   * a commit only for entries it has made durable ({@code stableIndex}, advanced by
   * {@link RaftNode#advance}), so nothing commits on the strength of its unsynced write. In the spec,
   * {@code AppendEntriesBatch} puts the request straight into the network, not into the outbox.
   */
  public static boolean mayLeaveBeforePersist(Message message) {
    return message instanceof AppendEntriesRequest;
  }

  /** True if step 1 has something to make durable. */
  public boolean mustPersist() {
    return hardState != null || !entries.isEmpty();
  }

  /** Index of the last entry to apply, or {@code firstCommittedIndex - 1} when there is none. */
  public long lastCommittedIndex() {
    return firstCommittedIndex + committedEntries.size() - 1;
  }
}
