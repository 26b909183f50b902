package org.raftref.runtime;

import java.util.concurrent.CompletableFuture;
import org.raftref.message.Message;

/**
 * What other threads put into the driver's {@link Mailbox}. Each is immutable once offered (the command
 * array is a private copy), so the mailbox's lock is all that publishes it to the driver.
 */
sealed interface Input {

  /** A message from a peer, with the sender's Lamport clock; offered by a transport thread. */
  record Received(Message message, long clock) implements Input {}

  /** A client's command and the future to complete; offered by a client thread. */
  record Proposal(byte[] command, CompletableFuture<byte[]> future) implements Input {}
}
