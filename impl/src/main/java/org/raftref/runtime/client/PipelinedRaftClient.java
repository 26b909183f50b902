package org.raftref.runtime.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * An asynchronous client of a Raft cluster over the client protocol ({@link ClientWire}) that keeps many
 * commands in flight on one connection: {@link #write} sends at once and returns a future, completed with the
 * state machine's result when the leader has applied the command. Replies are matched to requests by
 * {@code requestId}, so they may arrive in any order.
 *
 * <p>Like {@link RaftClient}, it follows {@code NotLeader} hints and resends a command to another node when
 * its node is not the leader and knows none, answers "retryable failure", or the connection breaks, until
 * the command's deadline passes; then the future fails with {@link ClusterUnavailableException}. A command
 * the leader refuses as such fails with {@link CommandRejectedException}. A resend may put a command in the
 * log twice (see {@link RaftClient}): use it for idempotent commands, or commands that carry their identity.
 * There is no per-attempt timeout: a node that keeps its connection open but never answers holds the
 * commands sent to it until the connection breaks (a crashed node's does at once; a hung one's may not).
 *
 * <h2>Implementation overview</h2>
 * One connection per node, opened when first needed; each has a reader thread that completes the futures of
 * the replies it reads, and a writer thread per connection sends queued requests, every waiting one with
 * one flush ({@link FrameWriter}). A write is sent when a connection to the presumed leader is open (on the
 * caller's thread if it is the only request in flight, else by the connection's writer); every resend and
 * every connect for a resend runs on one scheduler thread, after a short pause
 * ({@link #RETRY_PAUSE_MILLIS}) unless it follows a leader hint. When a connection fails, every request in
 * flight on it is resent elsewhere.
 *
 * <p>Shared state: {@link #leaderGuess} (volatile: the node the next write goes to), {@link #connections}
 * (a concurrent map; a connection is added under {@link #connectLock}, so that one node gets one
 * connection), and each connection's {@code inFlight} map (concurrent). Its output stream is written only
 * while holding the stream's monitor.
 */
public final class PipelinedRaftClient implements AutoCloseable {

  /** The pause before a resend that learned nothing about the leader: a few ms, an election's scale is 100s. */
  static final long RETRY_PAUSE_MILLIS = 5;
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;
  private static final int MAX_REPLY_BODY = (1 << 20) + ClientWire.BODY_SLACK;

  private final TreeMap<Integer, InetSocketAddress> cluster;
  private final List<Integer> ids;
  private final long commandTimeoutNanos;
  private final AtomicLong nextRequestId = new AtomicLong(1);
  final Map<Integer, Connection> connections = new ConcurrentHashMap<>(); // package-private for stress/ (jcstress)
  private final Object connectLock = new Object();
  /**
   * Requests handed to the retry scheduler and not yet taken back by their task: whoever removes a request
   * owns it, its task (which then sends it) or {@link #close()} (which fails it), so a resend pending when
   * the client closes is failed, never forgotten.
   */
  private final java.util.Set<Request> scheduled = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService retries;
  private volatile int leaderGuess;
  private volatile boolean closed;

  /**
   * A client of the servers at {@code cluster} (node id to client address).
   *
   * @param commandTimeout how long each command may take, resends included, before its future fails
   */
  public PipelinedRaftClient(Map<Integer, InetSocketAddress> cluster, Duration commandTimeout) {
    this(cluster, commandTimeout, Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "raftref-client-retries");
      thread.setDaemon(true);
      return thread;
    }));
  }

  /**
   * A client whose resends go to {@code retries}, which must run them one at a time (the public constructor
   * gives it one thread). Package-private for stress/ (jcstress): a test passes a scheduler that counts the
   * resends instead of running them, so that a sample starts no thread.
   */
  PipelinedRaftClient(Map<Integer, InetSocketAddress> cluster, Duration commandTimeout,
      ScheduledExecutorService retries) {
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("a cluster has at least one node");
    }
    this.cluster = new TreeMap<>(cluster);
    this.ids = new ArrayList<>(this.cluster.keySet());
    this.commandTimeoutNanos = commandTimeout.toNanos();
    this.leaderGuess = ids.get(0);
    this.retries = retries;
  }

  /** One command on its way: what to send, whom to tell, until when to try, and what went wrong last. */
  private static final class Request {
    final byte[] command;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    final long deadline;
    volatile String lastError = "no attempt finished";

    Request(byte[] command, long deadline) {
      this.command = command;
      this.deadline = deadline;
    }
  }

  /**
   * Sends {@code command} to the presumed leader. The future completes with the state machine's result, or
   * fails with {@link ClusterUnavailableException} or {@link CommandRejectedException}. Thread-safe.
   */
  public CompletableFuture<byte[]> write(byte[] command) {
    Request request = new Request(command.clone(), System.nanoTime() + commandTimeoutNanos);
    Connection open = connections.get(leaderGuess);
    if (open != null) {
      send(open, request);
    } else {
      resend(request, 0);
    }
    return request.future;
  }

  /** Sends {@code request} to the presumed leader on the scheduler thread, after {@code pauseMillis}. */
  private void resend(Request request, long pauseMillis) {
    if (closed) {
      request.future.completeExceptionally(new ClusterUnavailableException("the client was closed"));
      return;
    }
    if (System.nanoTime() - request.deadline >= 0) {
      request.future.completeExceptionally(new ClusterUnavailableException("no leader of the cluster "
          + cluster + " applied the command within " + commandTimeoutNanos / 1_000_000 + " ms (last error: "
          + request.lastError + ")"));
      return;
    }
    scheduled.add(request);
    try {
      retries.schedule(() -> {
        if (scheduled.remove(request)) { // else close() took it over and failed it
          sendToGuess(request);
        }
      }, pauseMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      if (scheduled.remove(request)) {
        request.future.completeExceptionally(new ClusterUnavailableException("the client was closed"));
      }
    }
  }

  /** Runs on the scheduler thread: connects to the presumed leader if needed, and sends. */
  private void sendToGuess(Request request) {
    int target = leaderGuess;
    Connection connection;
    try {
      connection = connection(target);
    } catch (IOException e) {
      request.lastError = "node " + target + " at " + address(target) + ": " + e.getMessage();
      giveUpOn(target);
      resend(request, RETRY_PAUSE_MILLIS);
      return;
    }
    send(connection, request);
  }

  private Connection connection(int node) throws IOException {
    Connection open = connections.get(node);
    if (open != null) {
      return open;
    }
    synchronized (connectLock) {
      open = connections.get(node);
      if (open != null) {
        return open;
      }
      if (closed) {
        throw new IOException("the client was closed");
      }
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        InetSocketAddress address = cluster.get(node);
        if (address == null) {
          throw new IOException("node " + node + " is not in the cluster " + cluster);
        }
        socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        socket.close();
        throw e;
      }
      Connection connection = new Connection(node, socket, socket.getInputStream(), socket.getOutputStream());
      connections.put(node, connection);
      connection.writerThread = connection.writer.start("raftref-client-writer-" + node);
      Thread reader = new Thread(connection::readReplies, "raftref-client-reader-" + node);
      reader.setDaemon(true);
      reader.start();
      return connection;
    }
  }

  /**
   * Registers {@code request} as in flight on {@code connection} and sends its frame: on this thread when it
   * is the only request in flight and nothing waits to be written (one request at a time: no hand-over to
   * pay for), otherwise through the connection's writer, which sends every queued frame with one flush (many
   * requests: one socket write for all that wait). Either way a whole frame is written under the stream's
   * monitor. If a write fails, the socket is closed and the reader's clean-up resends everything in flight,
   * this request included.
   */
  private void send(Connection connection, Request request) {
    long requestId = nextRequestId.getAndIncrement();
    connection.inFlight.put(requestId, request);
    ClientFrame.Propose frame = new ClientFrame.Propose(requestId, request.command);
    if (connection.inFlight.size() == 1 && connection.writer.idle()) {
      connection.writer.writeAll(List.of(frame));
    } else {
      connection.writer.queue(frame);
    }
    if (connection.failed && connection.inFlight.remove(requestId) != null) {
      resend(request, RETRY_PAUSE_MILLIS); // the reader failed the connection before it saw this request
    }
  }

  /** Moves the leader guess past {@code node}, unless another thread has moved it already. */
  private void giveUpOn(int node) {
    if (leaderGuess == node) {
      int at = ids.indexOf(node);
      leaderGuess = ids.get((at + 1) % ids.size());
    }
  }

  private void onReply(Connection connection, ClientFrame reply) {
    Request request = connection.inFlight.remove(reply.requestId());
    if (request == null) {
      return; // a reply to a request already resent elsewhere (its connection failed) or never sent
    }
    int node = connection.node;
    if (reply instanceof ClientFrame.Result result) {
      request.future.complete(result.result());
    } else if (reply instanceof ClientFrame.NotLeader notLeader && notLeader.leaderHint() != 0
        && notLeader.leaderHint() != node && cluster.containsKey(notLeader.leaderHint())) {
      request.lastError = "node " + node + " is not the leader (hint: node " + notLeader.leaderHint() + ")";
      leaderGuess = notLeader.leaderHint();
      resend(request, 0); // follow the hint at once
    } else if (reply instanceof ClientFrame.Failed failed && !failed.retryable()) {
      request.future.completeExceptionally(new CommandRejectedException("node " + node + " refused the command: "
          + failed.reason()));
    } else {
      request.lastError = reply instanceof ClientFrame.Failed failed ? "node " + node + ": " + failed.reason()
          : "node " + node + " is not the leader and knows none";
      giveUpOn(node);
      resend(request, RETRY_PAUSE_MILLIS);
    }
  }

  private String address(int node) {
    InetSocketAddress a = cluster.get(node);
    return a == null ? "?" : a.getHostString() + ":" + a.getPort();
  }

  /** Closes every connection; commands still in flight fail with {@link ClusterUnavailableException}. */
  @Override
  public void close() {
    closed = true;
    retries.shutdownNow(); // the resends it never ran are still in scheduled: fail them
    for (Request request : List.copyOf(scheduled)) {
      if (scheduled.remove(request)) {
        request.future.completeExceptionally(new ClusterUnavailableException("the client was closed"));
      }
    }
    synchronized (connectLock) {
      for (Connection connection : connections.values()) {
        connection.fail("the client was closed");
      }
    }
  }

  /**
   * A connection to one node and the requests in flight on it. Package-private for stress/ (jcstress), which
   * builds one on in-memory streams, puts it in {@link #connections}, and plays its reader thread.
   */
  final class Connection {
    final int node;
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;
    final Map<Long, Request> inFlight = new ConcurrentHashMap<>();
    final FrameWriter writer;
    /** The writer's thread, once started (stress/ builds connections whose queued frames it writes itself). */
    volatile @Nullable Thread writerThread;
    /** Set once, before the in-flight requests are taken over for resending. */
    volatile boolean failed;

    /** {@code in} and {@code out} are {@code socket}'s streams (or, in stress/, stand-ins for them). */
    Connection(int node, Socket socket, InputStream in, OutputStream out) {
      this.node = node;
      this.socket = socket;
      this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
      this.in = new DataInputStream(new BufferedInputStream(in));
      this.writer = new FrameWriter(socket, this.out);
    }

    /** The connection's reader thread: runs until the connection fails or the client closes. */
    void readReplies() {
      String why = "node " + node + " closed the connection";
      try {
        while (true) {
          ClientFrame reply = ClientWire.read(in, MAX_REPLY_BODY);
          if (reply == null) {
            break;
          }
          onReply(this, reply);
        }
      } catch (IOException | ClientProtocolException e) {
        why = "node " + node + " at " + address(node) + ": " + e.getMessage();
      }
      fail(why);
    }

    /** Closes this connection and resends (or, once the client is closed, fails) what was in flight on it. */
    void fail(String why) {
      failed = true;
      connections.remove(node, this);
      giveUpOn(node);
      Thread thread = writerThread;
      if (thread != null) {
        thread.interrupt(); // frames still queued belong to requests resent below
      }
      try {
        socket.close();
      } catch (IOException e) {
        // closing: nothing left to do with it
      }
      for (Long requestId : List.copyOf(inFlight.keySet())) {
        @Nullable Request request = inFlight.remove(requestId);
        if (request != null) {
          request.lastError = why;
          resend(request, RETRY_PAUSE_MILLIS);
        }
      }
    }
  }
}
