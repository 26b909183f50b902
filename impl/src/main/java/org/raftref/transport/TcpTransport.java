package org.raftref.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * the queues (thread-safe), the {@link Counters} ({@code LongAdder}s, a volatile last rejection), the set
 * of inbound sockets and the list of threads (for closing), and {@link #closed} (a latch every thread
 * checks and backoffs wait on). Everything else belongs to one thread: an {@link OutboundLink}'s buffer
 * and connection to its link thread, an {@link InboundConnection} to its reader thread.
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

  private final int self;
  private final ServerSocket listener;
  private final Options options;
  private final FrameCodec codec;
  /** Outbound links by peer id; fixed at construction. */
  private final Map<Integer, OutboundLink> links;
  private final Counters counters = new Counters();
  private final Set<Socket> inbound = ConcurrentHashMap.newKeySet();
  /** Threads to interrupt and join on close; guarded by itself. */
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

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
    Map<Integer, OutboundLink> byPeer = new TreeMap<>();
    for (Map.Entry<Integer, InetSocketAddress> peer : peers.entrySet()) {
      if (peer.getKey() <= 0) {
        throw new IllegalArgumentException("peer ids must be positive, was " + peer.getKey());
      }
      if (peer.getKey() != selfId) {
        byPeer.put(peer.getKey(), new OutboundLink(selfId, peer.getKey(), peer.getValue(), options, codec, counters));
      }
    }
    this.links = Map.copyOf(byPeer);
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
  public void start(InboundHandler handler) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("start() was already called");
    }
    InboundConnection inboundConnections = new InboundConnection(self, new TreeSet<>(links.keySet()), codec,
        (int) Math.max(1, options.helloTimeout().toMillis()), counters, handler);
    spawn("accept", () -> acceptLoop(inboundConnections));
    for (OutboundLink link : links.values()) {
      spawn("to-" + link.peer(), () -> link.run(this));
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
    OutboundLink link = links.get(message.to());
    boolean queued = false;
    if (link == null) {
      LOG.log(System.Logger.Level.WARNING, "node {0}: dropped {1} to {2}, which is not a peer", self, message.type(), message.to());
    } else if (FrameCodec.frameSize(message) > codec.maxFrameBytes()) {
      LOG.log(System.Logger.Level.WARNING, "node {0}: dropped {1} to {2}: {3} bytes, more than the maximum frame {4}",
          self, message.type(), message.to(), FrameCodec.frameSize(message), codec.maxFrameBytes());
    } else if (started.get() && !isClosed()) {
      queued = link.offer(message, clock);
    }
    if (!queued) {
      counters.dropped.increment();
    }
    return queued;
  }

  @Override
  public TransportStats stats() {
    return counters.snapshot();
  }

  @Override
  public void close() {
    if (isClosed()) {
      return;
    }
    closed.countDown();
    closeQuietly(listener);
    for (OutboundLink link : links.values()) {
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

  private void acceptLoop(InboundConnection inboundConnections) {
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
      spawn("from-" + socket.getRemoteSocketAddress(), () -> {
        inboundConnections.serve(socket, this);
        inbound.remove(socket);
      });
    }
  }

  boolean isClosed() {
    return closed.getCount() == 0;
  }

  /** Waits up to {@code nanos}; returns true if the transport was closed meanwhile. */
  boolean waitClosed(long nanos) {
    try {
      return closed.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return true;
    }
  }

  /** Starts a daemon thread that {@link #close()} will interrupt and wait for. */
  void spawn(String name, Runnable body) {
    Thread thread = new Thread(body, "raftref-" + self + "-" + name);
    thread.setDaemon(true);
    synchronized (threads) {
      // Started under the lock: a thread added but not yet started is not alive, and another spawn's
      // clean-up would drop it from the list that close() joins.
      threads.removeIf(t -> !t.isAlive());
      threads.add(thread);
      thread.start();
    }
  }

  static void closeQuietly(@Nullable AutoCloseable closeable) {
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
