package org.raftref.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;

/**
 * One inbound connection of a {@link TcpTransport}, read by its own thread: a hello from a peer addressed
 * to this node first, then messages from that peer to this node, each handed to the handler. The first
 * frame that breaks this is logged, counted, and closes the connection.
 */
final class InboundConnection {

  private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
  private static final int BUFFER_BYTES = 64 << 10;

  private final int self;
  private final Set<Integer> peers;
  private final FrameCodec codec;
  private final int helloTimeoutMillis;
  private final Counters counters;
  private final InboundHandler handler;

  InboundConnection(int self, Set<Integer> peers, FrameCodec codec, int helloTimeoutMillis, Counters counters,
      InboundHandler handler) {
    this.self = self;
    this.peers = peers;
    this.codec = codec;
    this.helloTimeoutMillis = helloTimeoutMillis;
    this.counters = counters;
    this.handler = handler;
  }

  /** Reads {@code socket} until it ends or breaks the protocol, then closes it. */
  void serve(Socket socket, TcpTransport transport) {
    SocketAddress remote = socket.getRemoteSocketAddress();
    try (socket) {
      socket.setSoTimeout(helloTimeoutMillis);
      FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES), codec);
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
      if (!peers.contains(sender)) {
        reject(remote, sender, new DecodeResult.Malformed(FrameError.WRONG_NODE,
            "node " + sender + " is not a peer of node " + self + " (peers " + peers + ")"));
        return;
      }
      socket.setSoTimeout(0); // a follower's connection may stay idle between replies
      while (true) {
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
          counters.received.increment();
          handler.receive(m, frame.clock());
        } else if (next instanceof DecodeResult.Malformed bad) {
          reject(remote, sender, bad);
          return;
        } else {
          reject(remote, sender, new DecodeResult.Malformed(FrameError.BAD_HANDSHAKE, "a second hello"));
          return;
        }
      }
    } catch (IOException e) {
      if (!transport.isClosed()) {
        LOG.log(System.Logger.Level.DEBUG, "node " + self + ": connection from " + remote + " ended: " + e);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "node " + self + ": the inbound handler failed; closing the connection from "
          + remote, e);
    }
  }

  private void reject(@Nullable SocketAddress remote, int sender, DecodeResult.Malformed why) {
    String text = "node " + self + " rejected the connection from " + remote
        + (sender > 0 ? " (node " + sender + ")" : "") + ": " + why.error() + ": " + why.reason();
    counters.rejected(text);
    LOG.log(System.Logger.Level.WARNING, text);
  }
}
