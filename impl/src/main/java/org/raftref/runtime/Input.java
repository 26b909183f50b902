package org.raftref.runtime;

import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;

/**
 * What other threads put into the driver's {@link Mailbox}. Each is immutable once offered (the command
 * array is a private copy), so the mailbox's lock is all that publishes it to the driver.
 */
sealed interface Input {

  /**
   * A message from a peer, with the sender's Lamport clock; offered by a transport thread. If the server
   * traces, {@code entryDigests} are the digests of an AppendEntries request's entries, in order, taken by
   * that thread (see {@code KnownDigests}); else null.
   */
  record Received(Message message, long clock, long @Nullable [] entryDigests) implements Input {}

  /**
   * A client's command and the future to complete; offered by a client thread. If the server traces,
   * {@code digest} is the command's, taken by that thread (see {@code KnownDigests}); else 0.
   */
  record Proposal(byte[] command, long digest, CompletableFuture<byte[]> future) implements Input {}
}
