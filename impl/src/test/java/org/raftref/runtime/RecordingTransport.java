package org.raftref.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.raftref.message.Message;
import org.raftref.transport.InboundHandler;
import org.raftref.transport.Transport;
import org.raftref.transport.TransportStats;

/** A transport that remembers every message handed to it, then passes it on. */
final class RecordingTransport implements Transport {

  private final Transport delegate;
  private final List<Message> sent = new ArrayList<>();

  RecordingTransport(Transport delegate) {
    this.delegate = delegate;
  }

  synchronized List<Message> sent() {
    return List.copyOf(sent);
  }

  @Override
  public int localId() {
    return delegate.localId();
  }

  @Override
  public void start(InboundHandler handler) throws IOException {
    delegate.start(handler);
  }

  @Override
  public boolean send(Message message, long clock) {
    synchronized (this) {
      sent.add(message);
    }
    return delegate.send(message, clock);
  }

  @Override
  public TransportStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
