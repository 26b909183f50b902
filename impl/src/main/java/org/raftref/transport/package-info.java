/**
 * Moving {@link org.raftref.message.Message}s between nodes.
 *
 * <p>{@link org.raftref.transport.Transport} is what the runtime uses: a non-blocking {@code send}, and an
 * {@link org.raftref.transport.InboundHandler} for what arrives. {@link org.raftref.transport.TcpTransport}
 * carries messages over TCP in the binary frames of {@link org.raftref.transport.FrameCodec} (magic number,
 * version, length, CRC32C; messages encoded field by field); {@link org.raftref.transport.InMemoryNetwork}
 * connects transports inside one JVM, for tests. The wire format is in {@code docs/transport.md}. This
 * package depends only on {@code org.raftref.message}.
 */
package org.raftref.transport;
