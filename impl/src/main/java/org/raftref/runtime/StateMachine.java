package org.raftref.runtime;

/**
 * The replicated application: what the runtime hands every committed log entry to (§2 of the paper: each
 * server's state machine executes the same commands in the same order, so all of them compute the same
 * states and the same outputs).
 *
 * <p>Contract, which every implementation keeps and the runtime relies on:
 * <ul>
 *   <li>The runtime calls {@link #apply} once for every committed entry, in index order with no gaps, from
 *       one thread at a time. A fresh state machine first sees index 1 (there are no snapshots yet, so a
 *       restarted server builds a new state machine and replays its log from the start).
 *   <li>{@code apply} is deterministic: its result and the state it leaves depend only on the commands
 *       applied so far. No clock, no randomness, no I/O whose outcome differs between servers.
 *   <li>{@code apply} never throws for any command bytes: the log holds whatever clients sent, and one bad
 *       command must not stop a server from applying the entries after it. A command it cannot read gets
 *       an error result. (An exception means a bug, such as an index out of order, and the runtime may stop.)
 *   <li>The empty command is the no-op entry a new leader appends (thesis §6.4); it has no client and must be
 *       accepted and ignored.
 * </ul>
 */
public interface StateMachine {

  /**
   * Applies the committed entry at {@code index} and returns the result the proposing client receives.
   * {@code command} is the log entry's own array, which the log may share: it must not be modified.
   */
  byte[] apply(long index, byte[] command);
}
