package org.raftref.runtime.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.runtime.ServerStatus;

/**
 * A client of a Raft cluster over the client protocol ({@link ClientWire}): it finds the leader by following
 * {@code NotLeader} hints, and retries a command until one leader applies it or the time is up.
 *
 * <p>Retries send the same bytes again, so a command may reach the log twice (its first copy may have
 * committed after the reply was lost). Commands must therefore be idempotent or carry their own identity
 * for the state machine to drop duplicates; the key-value commands do ({@code org.raftref.kv.KvRequest}:
 * client id and sequence number).
 *
 * <p>Not thread-safe: one thread uses a client, one request at a time (a connection to the node it
 * believes leads).
 */
public final class RaftClient implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final long MIN_BACKOFF_MILLIS = 10;
  private static final long MAX_BACKOFF_MILLIS = 200;
  /** An attempt needs at least this long; a shorter one would only fail by timing out and hide the last error. */
  private static final long MIN_ATTEMPT_NANOS = 50_000_000;

  private final TreeMap<Integer, InetSocketAddress> cluster;
  private final List<Integer> ids;
  private final Duration attemptTimeout;
  private int leaderGuess;
  private long nextRequestId = 1;
  private @Nullable Connection connection;

  /**
   * A client of the servers at {@code cluster} (node id to client address).
   *
   * @param attemptTimeout how long to wait for one server's reply before trying another
   */
  public RaftClient(Map<Integer, InetSocketAddress> cluster, Duration attemptTimeout) {
    if (cluster.isEmpty()) {
      throw new IllegalArgumentException("a cluster has at least one node");
    }
    this.cluster = new TreeMap<>(cluster);
    this.ids = new ArrayList<>(this.cluster.keySet());
    this.attemptTimeout = attemptTimeout;
    this.leaderGuess = ids.get(0);
  }

  /**
   * Sends {@code command} to the leader and returns the state machine's result for it.
   *
   * @throws ClusterUnavailableException if no leader applied it within {@code timeout} (it may still)
   * @throws CommandRejectedException if a leader refused the command itself
   */
  public byte[] submit(byte[] command, Duration timeout)
      throws ClusterUnavailableException, CommandRejectedException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastError = "no attempt finished";
    int misses = 0; // attempts in a row that learned nothing about the leader
    long backoff = MIN_BACKOFF_MILLIS;
    while (deadline - System.nanoTime() >= MIN_ATTEMPT_NANOS) {
      int target = leaderGuess;
      ClientFrame reply;
      try {
        reply = exchange(target, new ClientFrame.Propose(nextRequestId++, command), deadline);
      } catch (IOException | ClientProtocolException e) {
        InetSocketAddress address = cluster.get(target);
        lastError = "node " + target + " at " + (address == null ? "?" : address.getHostString() + ":" + address.getPort())
            + ": " + describe(e);
        closeConnection();
        reply = null;
      }
      if (reply instanceof ClientFrame.Result result) {
        return result.result();
      }
      if (reply instanceof ClientFrame.Failed failed && !failed.retryable()) {
        throw new CommandRejectedException("node " + target + " refused the command: " + failed.reason());
      }
      if (reply instanceof ClientFrame.NotLeader notLeader && notLeader.leaderHint() != 0
          && notLeader.leaderHint() != target && cluster.containsKey(notLeader.leaderHint())) {
        leaderGuess = notLeader.leaderHint(); // follow the hint at once
        misses = 0;
        continue;
      }
      if (reply instanceof ClientFrame.NotLeader notLeader) {
        lastError = "node " + target + " is not the leader and knows none (term " + notLeader.term() + ")";
      } else if (reply instanceof ClientFrame.Failed failed) {
        lastError = "node " + target + ": " + failed.reason();
      } else if (reply != null) {
        lastError = "node " + target + " answered with a " + reply.getClass().getSimpleName();
      }
      leaderGuess = next(target);
      if (++misses >= ids.size()) {
        // A whole round without a leader: an election is probably running. Wait a little, then go round again.
        misses = 0;
        long left = (deadline - System.nanoTime()) / 1_000_000;
        Thread.sleep(Math.max(0, Math.min(backoff, left)));
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
    throw new ClusterUnavailableException("no leader of the cluster " + describe(cluster) + " applied the command"
        + " within " + timeout.toMillis() + " ms (last error: " + lastError + ")");
  }

  /**
   * Asks node {@code node} for its status.
   *
   * @throws IOException if it cannot be reached or does not answer within {@code timeout}
   */
  public ServerStatus status(int node, Duration timeout) throws IOException, ClientProtocolException {
    if (!cluster.containsKey(node)) {
      throw new IllegalArgumentException("node " + node + " is not in the cluster " + describe(cluster));
    }
    try {
      ClientFrame reply = exchange(node, new ClientFrame.StatusRequest(nextRequestId++),
          System.nanoTime() + timeout.toNanos());
      if (reply instanceof ClientFrame.StatusReply status) {
        return status.status();
      }
      throw new ClientProtocolException("node " + node + " answered a status request with a "
          + reply.getClass().getSimpleName());
    } catch (IOException | ClientProtocolException e) {
      closeConnection();
      throw e;
    }
  }

  /** The node this client will try first. */
  public int leaderGuess() {
    return leaderGuess;
  }

  /** One request and its reply, over the connection to {@code node} (opened if needed). */
  private ClientFrame exchange(int node, ClientFrame request, long deadline)
      throws IOException, ClientProtocolException {
    Connection c = connectTo(node, deadline);
    ClientWire.write(c.out, request);
    c.out.flush();
    long wait = Math.min(attemptTimeout.toNanos(), deadline - System.nanoTime());
    c.socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, wait / 1_000_000)));
    ClientFrame reply = ClientWire.read(c.in, Integer.MAX_VALUE - ClientWire.HEADER_BYTES);
    if (reply == null) {
      throw new IOException("connection closed by the server");
    }
    if (reply.requestId() != request.requestId()) {
      throw new ClientProtocolException("reply to request " + reply.requestId() + " while waiting for "
          + request.requestId());
    }
    return reply;
  }

  private Connection connectTo(int node, long deadline) throws IOException {
    Connection c = connection;
    if (c != null && c.node == node) {
      return c;
    }
    closeConnection();
    InetSocketAddress address = cluster.get(node);
    if (address == null) {
      throw new IllegalStateException("node " + node + " has no address");
    }
    Socket socket = new Socket();
    try {
      long left = Math.min(CONNECT_TIMEOUT.toNanos(), deadline - System.nanoTime()) / 1_000_000;
      socket.connect(address, (int) Math.max(1, left));
      socket.setTcpNoDelay(true);
      c = new Connection(node, socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    connection = c;
    return c;
  }

  private int next(int node) {
    return ids.get((ids.indexOf(node) + 1) % ids.size());
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.socket.close();
      } catch (IOException e) {
        // already broken
      }
    }
  }

  @Override
  public void close() {
    closeConnection();
  }

  private static String describe(Exception e) {
    if (e instanceof SocketTimeoutException) {
      return String.valueOf(e.getMessage()).contains("connect") ? "could not connect in time" : "no reply in time";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** "1=127.0.0.1:8001,2=..." */
  public static String describe(Map<Integer, InetSocketAddress> cluster) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<Integer, InetSocketAddress> node : new TreeMap<>(cluster).entrySet()) {
      InetSocketAddress a = node.getValue();
      text.append(text.length() == 0 ? "" : ",").append(node.getKey()).append('=').append(a.getHostString())
          .append(':').append(a.getPort());
    }
    return text.toString();
  }

  private static final class Connection {
    final int node;
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    Connection(int node, Socket socket) throws IOException {
      this.node = node;
      this.socket = socket;
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }
  }
}
