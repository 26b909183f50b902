package org.raftref.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;

/**
 * The queue of messages for one peer of a {@link TcpTransport}, and the thread body that drains it into a
 * connection: connect (with exponential backoff after failures), send a {@link Hello}, then write the
 * frames of queued messages, as many per socket write as are waiting. A watcher thread per connection
 * notices when the peer closes it.
 *
 * <p>{@link #offer} is called by any thread; everything else runs on the link's own thread, except
 * {@link #closeSocket()} (from close) and the watcher, which only read the volatile {@link #socket}.
 */
final class OutboundLink {

  /** A message waiting to be sent, with its clock. */
  private record Outbound(Message message, long clock) {}

  private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
  private static final int BATCH_BYTES = 64 << 10;

  private final int self;
  private final int peer;
  private final InetSocketAddress address;
  private final TcpTransport.Options options;
  private final FrameCodec codec;
  private final Counters counters;
  private final ArrayBlockingQueue<Outbound> queue;
  /** The current connection; written by the link's thread, read by close() and the watcher. */
  private volatile @Nullable Socket socket;
  /** Owned by the link's thread. */
  private ByteBuffer out = ByteBuffer.allocate(BATCH_BYTES);

  OutboundLink(int self, int peer, InetSocketAddress address, TcpTransport.Options options, FrameCodec codec,
      Counters counters) {
    this.self = self;
    this.peer = peer;
    this.address = address;
    this.options = options;
    this.codec = codec;
    this.counters = counters;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
  }

  int peer() {
    return peer;
  }

  /** Queues a message; false if the queue is full. */
  boolean offer(Message message, long clock) {
    return queue.offer(new Outbound(message, clock));
  }

  /** The link's thread: connects, sends, reconnects, until the transport closes. */
  void run(TcpTransport transport) {
    long backoff = options.minBackoff().toNanos();
    boolean reported = false;
    while (!transport.isClosed()) {
      Socket connection = new Socket();
      socket = connection;
      try {
        connection.setTcpNoDelay(true);
        connection.connect(address, (int) Math.max(1, options.connectTimeout().toMillis()));
      } catch (IOException e) {
        TcpTransport.closeQuietly(connection);
        if (!reported) {
          LOG.log(System.Logger.Level.INFO, "node " + self + " cannot connect to node " + peer + " at " + address
              + " (" + e.getMessage() + "); retrying with backoff");
          reported = true;
        }
        if (transport.waitClosed(backoff)) {
          return;
        }
        backoff = Math.min(backoff * 2 + 1, options.maxBackoff().toNanos());
        continue;
      }
      counters.connects.increment();
      reported = false;
      backoff = options.minBackoff().toNanos();
      Thread linkThread = Thread.currentThread();
      transport.spawn("watch-" + peer, () -> watch(connection, linkThread, transport));
      try {
        pump(connection.getOutputStream(), transport);
      } catch (IOException e) {
        if (!transport.isClosed()) {
          LOG.log(System.Logger.Level.INFO, "node " + self + ": connection to node " + peer + " lost: " + e.getMessage());
        }
      } catch (InterruptedException e) {
        if (transport.isClosed()) {
          return;
        }
        LOG.log(System.Logger.Level.INFO, "node " + self + ": node " + peer + " closed the connection; reconnecting");
      } finally {
        TcpTransport.closeQuietly(connection);
        Thread.interrupted(); // a watcher's late interrupt must not break the next connection
      }
    }
  }

  /** Sends the hello, then queued messages, batching what is waiting into one write. */
  private void pump(OutputStream stream, TcpTransport transport) throws IOException, InterruptedException {
    out.clear();
    codec.encode(new Hello(self, peer), out);
    stream.write(out.array(), 0, out.position());
    while (!transport.isClosed()) {
      Outbound next = queue.take();
      out.clear();
      int batch = 0;
      do {
        encode(next);
        batch++;
      } while (out.position() < BATCH_BYTES && (next = queue.poll()) != null);
      stream.write(out.array(), 0, out.position());
      counters.sent.add(batch);
      if (out.capacity() > 4 * BATCH_BYTES) {
        out = ByteBuffer.allocate(BATCH_BYTES); // do not keep a buffer sized for one huge frame
      }
    }
  }

  private void encode(Outbound outbound) {
    int size = (int) FrameCodec.frameSize(outbound.message()); // checked against the maximum by send()
    if (out.remaining() < size) {
      ByteBuffer bigger = ByteBuffer.allocate(out.position() + size);
      out.flip();
      bigger.put(out);
      out = bigger;
    }
    codec.encode(outbound.message(), outbound.clock(), out);
  }

  /**
   * Blocks reading the outbound connection, on which the peer never sends anything: the read ends only
   * when the connection does. Then the link thread, waiting for messages, is woken to reconnect at once,
   * rather than learn of the break by losing the next message to a dead socket.
   */
  private void watch(Socket connection, Thread linkThread, TcpTransport transport) {
    try {
      connection.getInputStream().read();
    } catch (IOException e) {
      // Closed or reset: the connection is over either way.
    }
    if (socket == connection && !transport.isClosed()) {
      TcpTransport.closeQuietly(connection);
      linkThread.interrupt();
    }
  }

  void closeSocket() {
    TcpTransport.closeQuietly(socket);
  }
}
