package org.raftref.transport;

import org.raftref.message.Message;

/**
 * Receives the messages that arrive for this node, each with the clock value its sender attached (see
 * {@link Transport#send(Message, long)}). Called from the transport's threads, possibly several
 * at once: it must be thread-safe and must not block (hand the message to the driver's queue and return).
 * Every message it gets is well formed ({@link Message#malformation()} is null), addressed to this node,
 * and from the peer the connection's handshake named.
 */
@FunctionalInterface
public interface InboundHandler {

  void receive(Message message, long clock);
}
