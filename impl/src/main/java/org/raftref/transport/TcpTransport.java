package org.raftref.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;

/**
 * {@link Transport} over TCP with plain JDK sockets, in the frames of {@link FrameCodec}.
 *
 * <h2>Implementation overview</h2>
 * Connections are one-way. For each peer, one sender thread owns an outbound connection: it connects
 * (again after a failure, waiting an exponentially growing backoff between attempts), sends a
 * {@link Hello}, then writes the frames of the messages queued for that peer, as many per socket write
 * as are waiting. A watcher thread per outbound connection notices when the peer closes it, so that the
 * sender reconnects at once instead of losing its next message to a dead socket. An acceptor thread takes inbound connections and starts a reader thread for each: it
 * requires a hello from a known peer addressed to this node, then hands each message to the
 * {@link InboundHandler}. A malformed, truncated, oversized or misaddressed frame is logged with its
 * reason, counted, and closes the connection (the sender reconnects; Raft retries what was lost).
 *
 * <p>Threads: {@code send} is called by any thread and only offers to a bounded queue. Shared state is
 * the queues (thread-safe), the counters ({@link LongAdder}s, a volatile last rejection), the set of
 * inbound sockets (concurrent set, for closing) and {@link #closed} (a latch every thread checks and
 * backoffs wait on). Everything else belongs to one thread.
 */
public final class TcpTransport implements Transport {

  /**
   * @param maxFrameBytes the largest frame sent or accepted
   * @param queueCapacity messages queued per peer before {@code send} drops
   * @param minBackoff first wait before reconnecting to a peer after a failed attempt
   * @param maxBackoff the longest wait; each failed attempt doubles it up to this
   * @param connectTimeout how long one connection attempt may take
   * @param helloTimeout how long an inbound connection may take to send its hello
   */
  public record Options(int maxFrameBytes, int queueCapacity, Duration minBackoff, Duration maxBackoff,
      Duration connectTimeout, Duration helloTimeout) {

    public static final Options DEFAULTS = new Options(FrameCodec.DEFAULT_MAX_FRAME_BYTES, 4096,
        Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10));

    public Options {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
      }
      if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException("need 0 <= minBackoff <= maxBackoff, were " + minBackoff + ", " + maxBackoff);
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero() || helloTimeout.isNegative() || helloTimeout.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive, were " + connectTimeout + ", " + helloTimeout);
      }
      new FrameCodec(maxFrameBytes); // checks the size
    }
  }

  private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
  private static final int BATCH_BYTES = 64 << 10;

  private final int self;
  private final ServerSocket listener;
  private final Options options;
  private final FrameCodec codec;
  /** Outbound links by peer id; fixed at construction. */
  private final Map<Integer, PeerLink> peers;
  private final Set<Socket> inbound = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile @Nullable InboundHandler handler;

  private final LongAdder sent = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder connects = new LongAdder();
  private volatile @Nullable String lastRejection;

  /**
   * Binds {@code listenAddress} (port 0 picks a free port; see {@link #localAddress()}) for node
   * {@code selfId}, whose peers listen at {@code peers} (this node's own entry, if present, is ignored).
   */
  public static TcpTransport bind(int selfId, InetSocketAddress listenAddress, Map<Integer, InetSocketAddress> peers,
      Options options) throws IOException {
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true);
      listener.bind(listenAddress);
    } catch (IOException e) {
      listener.close();
      throw new IOException("cannot listen on " + listenAddress + ": " + e.getMessage(), e);
    }
    return new TcpTransport(selfId, listener, peers, options);
  }

  /** A transport that accepts on {@code listener}, already bound. */
  public TcpTransport(int selfId, ServerSocket listener, Map<Integer, InetSocketAddress> peers, Options options) {
    if (selfId <= 0) {
      throw new IllegalArgumentException("selfId must be a positive node id, was " + selfId);
    }
    this.self = selfId;
    this.listener = listener;
    this.options = options;
    this.codec = new FrameCodec(options.maxFrameBytes());
    Map<Integer, PeerLink> links = new TreeMap<>();
    for (Map.Entry<Integer, InetSocketAddress> peer : peers.entrySet()) {
      if (peer.getKey() <= 0) {
        throw new IllegalArgumentException("peer ids must be positive, was " + peer.getKey());
      }
      if (peer.getKey() != selfId) {
        links.put(peer.getKey(), new PeerLink(peer.getKey(), peer.getValue()));
      }
    }
    this.peers = Map.copyOf(links);
  }

  /** The address this transport accepts connections on. */
  public InetSocketAddress localAddress() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  @Override
  public int localId() {
    return self;
  }

  @Override
  public void start(InboundHandler inboundHandler) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("start() was already called");
    }
    handler = inboundHandler;
    synchronized (threads) {
      threads.add(daemon("accept", this::acceptLoop));
      for (PeerLink link : peers.values()) {
        threads.add(daemon("to-" + link.id, link::run));
      }
    }
  }

  @Override
  public boolean send(Message message, long clock) {
    if (message.from() != self) {
      throw new IllegalArgumentException(message.type() + " from " + message.from() + " handed to the transport of node " + self);
    }
    if (clock < 0) {
      throw new IllegalArgumentException("clock must not be negative, was " + clock);
    }
    PeerLink link = peers.get(message.to());
    boolean queued = false;
    if (link == null) {
      LOG.log(System.Logger.Level.WARNING, "node {0}: dropped {1} to {2}, which is not a peer", self, message.type(), message.to());
    } else if (FrameCodec.frameSize(message) > codec.maxFrameBytes()) {
      LOG.log(System.Logger.Level.WARNING, "node {0}: dropped {1} to {2}: {3} bytes, more than the maximum frame {4}",
          self, message.type(), message.to(), FrameCodec.frameSize(message), codec.maxFrameBytes());
    } else if (started.get() && !isClosed()) {
      queued = link.queue.offer(new Outbound(message, clock));
    }
    if (!queued) {
      dropped.increment();
    }
    return queued;
  }

  @Override
  public TransportStats stats() {
    return new TransportStats(sent.sum(), dropped.sum(), received.sum(), rejected.sum(), connects.sum(), lastRejection);
  }

  @Override
  public void close() {
    if (isClosed()) {
      return;
    }
    closed.countDown();
    closeQuietly(listener);
    for (PeerLink link : peers.values()) {
      link.closeSocket();
    }
    for (Socket socket : inbound) {
      closeQuietly(socket);
    }
    List<Thread> all;
    synchronized (threads) {
      all = new ArrayList<>(threads);
    }
    for (Thread thread : all) {
      thread.interrupt();
    }
    for (Thread thread : all) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean isClosed() {
    return closed.getCount() == 0;
  }

  /** Starts a daemon thread that {@link #close()} will interrupt and wait for. */
  private void spawn(String name, Runnable body) {
    synchronized (threads) {
      threads.removeIf(t -> !t.isAlive());
      threads.add(daemon(name, body));
    }
  }

  private Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, "raftref-" + self + "-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  // ---------------------------------------------------------------------------------------------------
  // Inbound

  private void acceptLoop() {
    while (!isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!isClosed()) {
          LOG.log(System.Logger.Level.ERROR, "node " + self + " stopped accepting connections: " + e);
        }
        return;
      }
      inbound.add(socket);
      if (isClosed()) {
        closeQuietly(socket); // close() may have run between accept and add
        return;
      }
      spawn("from-" + socket.getRemoteSocketAddress(), () -> serve(socket));
    }
  }

  /** Reads one inbound connection until it ends or breaks the protocol. */
  private void serve(Socket socket) {
    SocketAddress remote = socket.getRemoteSocketAddress();
    try (socket) {
      socket.setSoTimeout((int) Math.max(1, options.helloTimeout().toMillis()));
      FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream(), BATCH_BYTES), codec);
      DecodeResult first = reader.next();
      if (first == null) {
        return;
      }
      if (!(first instanceof DecodeResult.HelloFrame helloFrame)) {
        reject(remote, 0, first instanceof DecodeResult.Malformed bad ? bad
            : new DecodeResult.Malformed(FrameError.BAD_HANDSHAKE, "the first frame is not a hello"));
        return;
      }
      Hello hello = helloFrame.hello();
      int sender = hello.senderId();
      if (hello.receiverId() != self) {
        reject(remote, sender, new DecodeResult.Malformed(FrameError.WRONG_NODE,
            "the hello is addressed to node " + hello.receiverId() + ", this is node " + self));
        return;
      }
      if (!peers.containsKey(sender)) {
        reject(remote, sender, new DecodeResult.Malformed(FrameError.WRONG_NODE,
            "node " + sender + " is not a peer of node " + self + " (peers " + peers.keySet() + ")"));
        return;
      }
      socket.setSoTimeout(0); // a follower's connection may stay idle between replies
      InboundHandler receiver = handler;
      while (receiver != null) {
        DecodeResult next = reader.next();
        if (next == null) {
          return;
        }
        if (next instanceof DecodeResult.MessageFrame frame) {
          Message m = frame.message();
          if (m.from() != sender || m.to() != self) {
            reject(remote, sender, new DecodeResult.Malformed(FrameError.WRONG_NODE, m.type() + " from "
                + m.from() + " to " + m.to() + " on the connection of node " + sender + " to node " + self));
            return;
          }
          received.increment();
          receiver.receive(m, frame.clock());
        } else if (next instanceof DecodeResult.Malformed bad) {
          reject(remote, sender, bad);
          return;
        } else {
          reject(remote, sender, new DecodeResult.Malformed(FrameError.BAD_HANDSHAKE, "a second hello"));
          return;
        }
      }
    } catch (IOException e) {
      if (!isClosed()) {
        LOG.log(System.Logger.Level.DEBUG, "node " + self + ": connection from " + remote + " ended: " + e);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "node " + self + ": the inbound handler failed; closing the connection from "
          + remote, e);
    } finally {
      inbound.remove(socket);
    }
  }

  private void reject(@Nullable SocketAddress remote, int sender, DecodeResult.Malformed why) {
    String text = "node " + self + " rejected the connection from " + remote
        + (sender > 0 ? " (node " + sender + ")" : "") + ": " + why.error() + ": " + why.reason();
    lastRejection = text;
    rejected.increment();
    LOG.log(System.Logger.Level.WARNING, text);
  }

  // ---------------------------------------------------------------------------------------------------
  // Outbound

  /** A message waiting to be sent, with its clock. */
  private record Outbound(Message message, long clock) {}

  /** The queue and connection to one peer, and the thread body that drains one into the other. */
  private final class PeerLink {

    final int id;
    final InetSocketAddress address;
    final ArrayBlockingQueue<Outbound> queue;
    /** The current connection; written by the link's thread, read by close(). */
    private volatile @Nullable Socket socket;
    /** Owned by the link's thread. */
    private ByteBuffer out = ByteBuffer.allocate(BATCH_BYTES);

    PeerLink(int id, InetSocketAddress address) {
      this.id = id;
      this.address = address;
      this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    }

    void run() {
      long backoff = options.minBackoff().toNanos();
      boolean reported = false;
      while (!isClosed()) {
        Socket connection = new Socket();
        socket = connection;
        try {
          connection.setTcpNoDelay(true);
          connection.connect(address, (int) Math.max(1, options.connectTimeout().toMillis()));
        } catch (IOException e) {
          closeQuietly(connection);
          if (!reported) {
            LOG.log(System.Logger.Level.INFO, "node " + self + " cannot connect to node " + id + " at " + address
                + " (" + e.getMessage() + "); retrying with backoff");
            reported = true;
          }
          if (waitClosed(backoff)) {
            return;
          }
          backoff = Math.min(backoff * 2 + 1, options.maxBackoff().toNanos());
          continue;
        }
        connects.increment();
        reported = false;
        backoff = options.minBackoff().toNanos();
        Thread linkThread = Thread.currentThread();
        spawn("watch-" + id, () -> watch(connection, linkThread));
        try {
          pump(connection.getOutputStream());
        } catch (IOException e) {
          if (!isClosed()) {
            LOG.log(System.Logger.Level.INFO, "node " + self + ": connection to node " + id + " lost: " + e.getMessage());
          }
        } catch (InterruptedException e) {
          if (isClosed()) {
            return;
          }
          LOG.log(System.Logger.Level.INFO, "node " + self + ": node " + id + " closed the connection; reconnecting");
        } finally {
          closeQuietly(connection);
          Thread.interrupted(); // a watcher's late interrupt must not break the next connection
        }
      }
    }

    /**
     * Blocks reading the outbound connection, on which the peer never sends anything: the read ends only
     * when the connection does. Then the link thread, waiting for messages, is woken to reconnect at once,
     * rather than learn of the break by losing the next message to a dead socket.
     */
    private void watch(Socket connection, Thread linkThread) {
      try {
        connection.getInputStream().read();
      } catch (IOException e) {
        // Closed or reset: the connection is over either way.
      }
      if (socket == connection && !isClosed()) {
        closeQuietly(connection);
        linkThread.interrupt();
      }
    }

    /** Sends the hello, then queued messages, batching what is waiting into one write. */
    private void pump(OutputStream stream) throws IOException, InterruptedException {
      out.clear();
      codec.encode(new Hello(self, id), out);
      stream.write(out.array(), 0, out.position());
      while (!isClosed()) {
        Outbound next = queue.take();
        out.clear();
        int batch = 0;
        do {
          encode(next);
          batch++;
        } while (out.position() < BATCH_BYTES && (next = queue.poll()) != null);
        stream.write(out.array(), 0, out.position());
        sent.add(batch);
        if (out.capacity() > 4 * BATCH_BYTES) {
          out = ByteBuffer.allocate(BATCH_BYTES); // do not keep a buffer sized for one huge frame
        }
      }
    }

    private void encode(Outbound outbound) {
      int size = (int) FrameCodec.frameSize(outbound.message()); // checked against the maximum in send()
      if (out.remaining() < size) {
        ByteBuffer bigger = ByteBuffer.allocate(out.position() + size);
        out.flip();
        bigger.put(out);
        out = bigger;
      }
      codec.encode(outbound.message(), outbound.clock(), out);
    }

    void closeSocket() {
      Socket current = socket;
      if (current != null) {
        closeQuietly(current);
      }
    }
  }

  /** Waits up to {@code nanos}; returns true if the transport was closed meanwhile. */
  private boolean waitClosed(long nanos) {
    try {
      return closed.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return true;
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // Closing a socket that is already broken: nothing left to release or report.
    }
  }
}
