package org.raftref.transport;

/**
 * The first frame on every connection: who is sending on it, and to whom. A receiver accepts messages on
 * the connection only from {@code senderId}, and only if that is one of its peers and {@code receiverId}
 * is itself.
 */
public record Hello(int senderId, int receiverId) {}
