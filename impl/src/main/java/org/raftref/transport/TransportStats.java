package org.raftref.transport;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A snapshot of a transport's counters.
 *
 * @param sent messages handed to the network (written to a socket, or delivered in memory)
 * @param dropped messages given to {@code send} that were not sent: refused at once, or lost with a
 *     connection
 * @param received messages handed to the inbound handler
 * @param rejected inbound frames or connections refused (malformed, oversized, truncated, unknown sender,
 *     ...); each closed its connection
 * @param connects outbound connections established (reconnections included)
 * @param lastRejection why the last inbound frame or connection was refused, or null if none was
 */
public record TransportStats(long sent, long dropped, long received, long rejected, long connects,
    @Nullable String lastRejection) {}
