package org.raftref.transport;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;

/**
 * Transports that reach each other inside one JVM, for tests of the runtime. {@code send} delivers at
 * once, on the sending thread, to the destination's handler (if it has started and is not closed), or
 * drops. A filter decides which messages get through (a partition is a filter). With {@code throughCodec},
 * every message is encoded into a frame and decoded again on the way, so tests exercise the wire format
 * and nodes never share a message object.
 */
public final class InMemoryNetwork {

  private final Map<Integer, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final boolean throughCodec;
  private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
  private volatile Predicate<Message> filter = m -> true;

  public InMemoryNetwork(boolean throughCodec) {
    this.throughCodec = throughCodec;
  }

  /** A new transport for node {@code id} on this network. */
  public Transport transport(int id) {
    Endpoint endpoint = new Endpoint(id);
    if (endpoints.putIfAbsent(id, endpoint) != null) {
      throw new IllegalArgumentException("node " + id + " already has a transport on this network");
    }
    return endpoint;
  }

  /** Only messages for which {@code passes} is true are delivered from now on; the others are dropped. */
  public void setFilter(Predicate<Message> passes) {
    filter = passes;
  }

  private final class Endpoint implements Transport {

    private final int id;
    private volatile @Nullable InboundHandler handler;
    private volatile boolean closed;
    private final Counters counters = new Counters();

    Endpoint(int id) {
      this.id = id;
    }

    @Override
    public int localId() {
      return id;
    }

    @Override
    public void start(InboundHandler inboundHandler) {
      if (handler != null) {
        throw new IllegalStateException("start() was already called");
      }
      handler = inboundHandler;
    }

    @Override
    public boolean send(Message message, long clock) {
      if (message.from() != id) {
        throw new IllegalArgumentException(message.type() + " from " + message.from() + " handed to the transport of node " + id);
      }
      Endpoint destination = endpoints.get(message.to());
      if (closed || handler == null || destination == null || !filter.test(message)) {
        counters.dropped.increment();
        return false;
      }
      if (clock < 0) {
        throw new IllegalArgumentException("clock must not be negative, was " + clock);
      }
      Message delivered = message;
      long deliveredClock = clock;
      if (throughCodec) {
        DecodeResult.MessageFrame copy = roundTrip(message, clock);
        delivered = copy.message();
        deliveredClock = copy.clock();
      }
      if (!destination.deliver(delivered, deliveredClock)) {
        counters.dropped.increment();
        return false;
      }
      counters.sent.increment();
      return true;
    }

    private DecodeResult.MessageFrame roundTrip(Message message, long clock) {
      ByteBuffer frame = ByteBuffer.allocate((int) FrameCodec.frameSize(message));
      codec.encode(message, clock, frame);
      frame.flip();
      DecodeResult decoded = codec.decode(frame);
      if (!(decoded instanceof DecodeResult.MessageFrame copy)) {
        throw new IllegalStateException("the codec could not decode its own frame of " + message + ": " + decoded);
      }
      return copy;
    }

    /** Hands {@code message} to this endpoint's handler; false if it has none (not started, or closed). */
    private boolean deliver(Message message, long clock) {
      InboundHandler receiver = handler;
      if (closed || receiver == null) {
        return false;
      }
      String malformation = message.malformation();
      if (malformation != null) {
        counters.rejected(message.type() + " is malformed: " + malformation);
        return true;
      }
      counters.received.increment();
      receiver.receive(message, clock);
      return true;
    }

    @Override
    public TransportStats stats() {
      return counters.snapshot();
    }

    @Override
    public void close() {
      closed = true;
      endpoints.remove(id, this);
    }
  }
}
