package org.raftref.runtime.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.runtime.NotLeaderException;
import org.raftref.runtime.ProposalFailedException;
import org.raftref.runtime.RaftServer;

/**
 * Serves the client protocol ({@link ClientWire}) for one {@link RaftServer} on its own port.
 *
 * <h2>Implementation overview</h2>
 * An acceptor thread takes connections; a reader thread per connection reads request frames and proposes
 * each command to the server without waiting for it, so a client may pipeline requests on one connection.
 * When a proposal's future completes (on the server's completion thread) its reply is queued for the
 * connection's writer thread, which writes every reply waiting and flushes once: under load one socket
 * write carries many replies, and a client that reads slowly blocks only its own writer, never the
 * server's completion thread. A proposal refused at once and a status request are answered by the reader
 * thread directly. Replies on one connection therefore come from two threads: each connection's output is
 * written only while holding its monitor. A malformed frame closes the connection (logged with its reason).
 *
 * <p>Shared state: {@link #connections} (a concurrent set, for closing) and {@link #closed} (volatile).
 * Everything else belongs to the thread that created it.
 */
public final class ClientService implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ClientService.class.getName());

  private final RaftServer server;
  private final ServerSocket listener;
  private final int maxBody;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  /** Set by {@link #start}, before the acceptor runs; read by {@link #close()}. */
  private volatile @Nullable Thread acceptor;
  private volatile boolean closed;

  private ClientService(RaftServer server, ServerSocket listener, int maxCommandBytes) {
    this.server = server;
    this.listener = listener;
    this.maxBody = maxCommandBytes + ClientWire.BODY_SLACK;
  }

  /** Serves {@code server}'s clients on {@code listener} (bound already) until {@link #close()}. */
  public static ClientService start(RaftServer server, ServerSocket listener, int maxCommandBytes) {
    ClientService service = new ClientService(server, listener, maxCommandBytes);
    Thread acceptor = new Thread(service::acceptLoop, "raftref-" + server.id() + "-clients");
    acceptor.setDaemon(true);
    service.acceptor = acceptor;
    acceptor.start();
    return service;
  }

  /** Binds {@code address} (port 0: any free port) and serves {@code server}'s clients there. */
  public static ClientService bind(RaftServer server, InetSocketAddress address, int maxCommandBytes)
      throws IOException {
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true);
      listener.bind(address);
    } catch (IOException e) {
      listener.close();
      throw new IOException("cannot listen for clients on " + address + ": " + e.getMessage(), e);
    }
    return start(server, listener, maxCommandBytes);
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(System.Logger.Level.ERROR, "node " + server.id() + " stopped accepting clients: " + e);
        }
        return;
      }
      connections.add(socket);
      if (closed) {
        closeQuietly(socket); // close() may have run between accept and add
        return;
      }
      Thread reader = new Thread(() -> serve(socket), "raftref-" + server.id() + "-client-"
          + socket.getRemoteSocketAddress());
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void serve(Socket socket) {
    SocketAddress remote = socket.getRemoteSocketAddress();
    @Nullable Thread writerThread = null;
    try (socket) {
      socket.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
      FrameWriter writer = new FrameWriter(socket, out);
      writerThread = writer.start(Thread.currentThread().getName() + "-replies");
      while (true) {
        ClientFrame frame = ClientWire.read(in, maxBody);
        if (frame == null) {
          return;
        }
        if (frame instanceof ClientFrame.Propose propose) {
          long requestId = propose.requestId();
          server.propose(propose.command()).whenComplete((result, failure) ->
              writer.queue(result != null ? new ClientFrame.Result(requestId, result)
                  : failed(requestId, failure)));
        } else if (frame instanceof ClientFrame.StatusRequest request) {
          writer.writeAll(List.of(new ClientFrame.StatusReply(request.requestId(), server.status())));
        } else {
          LOG.log(System.Logger.Level.WARNING, "node " + server.id() + ": closing the client connection from "
              + remote + ": it sent a " + frame.getClass().getSimpleName() + ", which only servers send");
          return;
        }
      }
    } catch (ClientProtocolException e) {
      LOG.log(System.Logger.Level.WARNING, "node " + server.id() + ": closing the client connection from " + remote
          + ": " + e.getMessage());
    } catch (IOException e) {
      if (!closed) {
        LOG.log(System.Logger.Level.DEBUG, "node " + server.id() + ": client connection from " + remote
            + " ended: " + e);
      }
    } finally {
      connections.remove(socket);
      if (writerThread != null) {
        writerThread.interrupt(); // the connection is closed: replies still queued have nobody to go to
      }
    }
  }

  /** The reply for a failed proposal: a typed refusal the client can act on. */
  static ClientFrame failed(long requestId, @Nullable Throwable failure) {
    if (failure instanceof NotLeaderException notLeader) {
      return new ClientFrame.NotLeader(requestId, notLeader.leaderHint(), notLeader.term());
    }
    String reason = failure == null ? "no result" : String.valueOf(failure.getMessage());
    boolean retryable = failure instanceof ProposalFailedException; // overwritten, busy, stopped
    return new ClientFrame.Failed(requestId, retryable, reason);
  }

  /** Stops accepting, closes every connection; proposals in flight still complete in the server. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(listener);
    for (Socket socket : connections) {
      closeQuietly(socket);
    }
    Thread thread = acceptor;
    try {
      if (thread != null) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing: nothing left to do with it
    }
  }
}
