package org.raftref.transport;

import java.io.IOException;
import org.raftref.message.Message;

/**
 * Carries one node's messages to its peers and theirs to it.
 *
 * <p>Delivery is best effort, as Raft expects of its network (§5.1: RPCs are retried): a message may be
 * lost, for instance when a connection breaks or a peer's queue is full, and nothing is retried here.
 * Messages to one peer that are delivered arrive in the order they were sent.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread and never blocks.
 */
public interface Transport extends AutoCloseable {

  /** The id of the node this transport belongs to. */
  int localId();

  /**
   * Starts receiving: from now on, messages that arrive are handed to {@code handler}, and messages sent
   * are carried. Called once.
   *
   * @throws IOException if the transport cannot listen (for TCP: the address is in use)
   */
  void start(InboundHandler handler) throws IOException;

  /**
   * Queues {@code message} for {@code message.to()}, with {@code clock}, and returns at once. Returns false
   * if it was dropped already (not started or closed, an unknown destination, a full queue, a message
   * larger than a frame may be); true means queued, not delivered.
   *
   * @param clock a non-negative number carried with the message and handed to the receiver's
   *     {@link InboundHandler} with it, not interpreted here: the runtime's Lamport clock, which orders
   *     the traces of separate processes (send before receive); 0 when unused
   */
  boolean send(Message message, long clock);

  /** {@link #send(Message, long)} with clock 0. */
  default boolean send(Message message) {
    return send(message, 0);
  }

  /** Counters since start, for monitoring and tests. */
  TransportStats stats();

  /** Stops sending and receiving and releases sockets and threads; queued messages are dropped. */
  @Override
  void close();
}
