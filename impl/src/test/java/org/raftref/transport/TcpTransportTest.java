package org.raftref.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/**
 * {@link TcpTransport} over 127.0.0.1. Waits are on queues and sockets with timeouts that only guard
 * against a hang (a test that hits one fails); nothing asserts on time.
 */
class TcpTransportTest {

  private static final long HANG_GUARD_SECONDS = 30;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final TcpTransport.Options FAST_RETRY = new TcpTransport.Options(64 << 10, 1024,
      Duration.ofMillis(1), Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(5));

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private ServerSocket listener() throws IOException {
    return closeLater(new ServerSocket(0, 50, LOOPBACK));
  }

  private static InetSocketAddress address(ServerSocket socket) {
    return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
  }

  private static Message take(BlockingQueue<Message> queue) throws InterruptedException {
    Message m = queue.poll(HANG_GUARD_SECONDS, TimeUnit.SECONDS);
    assertNotNull(m, "nothing arrived (hang guard)");
    return m;
  }

  @Test
  void twoNodesExchangeEveryMessageTypeBothWaysWithTheirClocks() throws Exception {
    ServerSocket l1 = listener();
    ServerSocket l2 = listener();
    BlockingQueue<Message> at1 = new LinkedBlockingQueue<>();
    BlockingQueue<Message> at2 = new LinkedBlockingQueue<>();
    BlockingQueue<Long> clocksAt2 = new LinkedBlockingQueue<>();
    TcpTransport one = closeLater(new TcpTransport(1, l1, Map.of(2, address(l2)), TcpTransport.Options.DEFAULTS));
    TcpTransport two = closeLater(new TcpTransport(2, l2, Map.of(1, address(l1)), TcpTransport.Options.DEFAULTS));
    one.start((m, clock) -> at1.add(m));
    two.start((m, clock) -> {
      clocksAt2.add(clock);
      at2.add(m);
    });

    List<Message> toTwo = List.of(new RequestVoteRequest(1, 2, 5, 4, 10),
        new AppendEntriesRequest(1, 2, 5, 10, 4, List.of(new LogEntry(5, new byte[] {1, 2}), LogEntry.noop(5)), 9));
    List<Message> toOne = List.of(new RequestVoteResponse(2, 1, 5, true),
        new AppendEntriesResponse(2, 1, 5, false, 0, 4, 7));
    long clock = 100;
    for (Message m : toTwo) {
      assertTrue(one.send(m, clock++));
    }
    for (Message m : toOne) {
      assertTrue(two.send(m));
    }
    clock = 100;
    for (Message m : toTwo) {
      assertEquals(m, take(at2), "messages to one peer arrive in order");
      assertEquals(clock++, clocksAt2.remove(), "each with the clock it was sent with");
    }
    for (Message m : toOne) {
      assertEquals(m, take(at1));
    }
    assertEquals(2, two.stats().received());
    assertEquals(1, one.stats().connects());
  }

  @Test
  void manyMessagesArriveInOrder() throws Exception {
    ServerSocket l1 = listener();
    ServerSocket l2 = listener();
    BlockingQueue<Message> at2 = new LinkedBlockingQueue<>();
    TcpTransport one = closeLater(new TcpTransport(1, l1, Map.of(2, address(l2)), TcpTransport.Options.DEFAULTS));
    TcpTransport two = closeLater(new TcpTransport(2, l2, Map.of(1, address(l1)), TcpTransport.Options.DEFAULTS));
    one.start((m, clock) -> { });
    two.start((m, clock) -> at2.add(m));
    int count = 3000;
    int sent = 0;
    for (int i = 1; i <= count; i++) {
      // A full queue drops (send returns false): count what was queued, and expect exactly that, in order.
      if (one.send(new AppendEntriesResponse(1, 2, 1, true, i, 0, 0))) {
        sent++;
      }
    }
    long previous = 0;
    for (int i = 0; i < sent; i++) {
      long match = ((AppendEntriesResponse) take(at2)).matchIndex();
      assertTrue(match > previous, "out of order: " + match + " after " + previous);
      previous = match;
    }
    assertEquals(count - sent, one.stats().dropped());
  }

  /**
   * The peer is first unreachable, then up, then gone, then back: the sender connects with backoff and
   * reconnects as soon as it notices the connection closed, and what it queued meanwhile arrives.
   */
  @Test
  void outboundConnectionsReconnectWithBackoff() throws Exception {
    ServerSocket reserved = new ServerSocket(0, 50, LOOPBACK);
    int port = reserved.getLocalPort();
    reserved.close(); // nothing listens on the port now: connection attempts are refused
    ServerSocket l1 = listener();
    TcpTransport one = closeLater(new TcpTransport(1, l1, Map.of(2, new InetSocketAddress(LOOPBACK, port)), FAST_RETRY));
    one.start((m, clock) -> { });
    assertTrue(one.send(new RequestVoteRequest(1, 2, 1, 0, 0)));

    ServerSocket peer = bindPort(port);
    peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    Socket first = peer.accept();
    FrameReader reader = new FrameReader(first.getInputStream(), new FrameCodec(64 << 10));
    assertEquals(new DecodeResult.HelloFrame(new Hello(1, 2)), reader.next());
    assertEquals(new DecodeResult.MessageFrame(new RequestVoteRequest(1, 2, 1, 0, 0), 0), reader.next());

    peer.close(); // the peer goes away (its listener first, so that reconnecting is refused until it is back)
    first.close(); // node 1 notices the closed connection without sending anything
    ServerSocket again = bindPort(port);
    again.setSoTimeout((int) TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    Socket second = again.accept();
    reader = new FrameReader(second.getInputStream(), new FrameCodec(64 << 10));
    assertEquals(new DecodeResult.HelloFrame(new Hello(1, 2)), reader.next());
    assertTrue(one.send(new RequestVoteRequest(1, 2, 2, 0, 0), 12));
    assertEquals(new DecodeResult.MessageFrame(new RequestVoteRequest(1, 2, 2, 0, 0), 12), reader.next());
    assertEquals(2, one.stats().connects());
    second.close();
  }

  private ServerSocket bindPort(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(LOOPBACK, port));
    return closeLater(socket);
  }

  // ---------------------------------------------------------------------------------------------------
  // Inbound connections that break the protocol: each is closed, counted and its reason kept.

  private TcpTransport receiver;
  private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();

  /** Node 1, with peers 2 and 3, and a raw socket connected to it. */
  private Socket rawConnectionToNodeOne() throws IOException {
    ServerSocket l1 = listener();
    receiver = closeLater(new TcpTransport(1, l1,
        Map.of(2, new InetSocketAddress(LOOPBACK, 1), 3, new InetSocketAddress(LOOPBACK, 1)), FAST_RETRY));
    receiver.start((m, clock) -> received.add(m));
    Socket socket = closeLater(new Socket(LOOPBACK, l1.getLocalPort()));
    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
    return socket;
  }

  private static byte[] frame(Object payload) {
    FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    ByteBuffer out = ByteBuffer.allocate(1024);
    if (payload instanceof Hello hello) {
      codec.encode(hello, out);
    } else {
      codec.encode((Message) payload, 3, out);
    }
    return java.util.Arrays.copyOf(out.array(), out.position());
  }

  /** Sends {@code bytes}, then expects the receiver to close the connection and report {@code error}. */
  private void expectRejected(Socket socket, byte[] bytes, boolean endStream, FrameError error) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
    if (endStream) {
      socket.shutdownOutput();
    }
    InputStream in = socket.getInputStream();
    assertEquals(-1, in.read(), "the receiver must close the connection");
    TransportStats stats = receiver.stats();
    assertEquals(1, stats.rejected());
    assertNotNull(stats.lastRejection());
    assertTrue(stats.lastRejection().contains(error.name()), stats.lastRejection());
    assertEquals(0, stats.received());
  }

  @Test
  void garbageIsRejected() throws Exception {
    expectRejected(rawConnectionToNodeOne(), "hello there, this is not a frame".getBytes(), false, FrameError.BAD_MAGIC);
  }

  @Test
  void anOversizedFrameIsRejectedFromItsHeader() throws Exception {
    byte[] header = frame(new Hello(2, 1));
    ByteBuffer.wrap(header).putInt(8, 1 << 30);
    expectRejected(rawConnectionToNodeOne(), java.util.Arrays.copyOf(header, 16), false, FrameError.OVERSIZED);
  }

  @Test
  void aConnectionThatEndsInsideAFrameIsTruncated() throws Exception {
    byte[] hello = frame(new Hello(2, 1));
    byte[] vote = frame(new RequestVoteRequest(2, 1, 1, 0, 0));
    byte[] bytes = new byte[hello.length + vote.length - 3];
    System.arraycopy(hello, 0, bytes, 0, hello.length);
    System.arraycopy(vote, 0, bytes, hello.length, vote.length - 3);
    expectRejected(rawConnectionToNodeOne(), bytes, true, FrameError.TRUNCATED);
  }

  @Test
  void aHelloFromAnUnknownNodeIsRejected() throws Exception {
    expectRejected(rawConnectionToNodeOne(), frame(new Hello(9, 1)), false, FrameError.WRONG_NODE);
    assertTrue(receiver.stats().lastRejection().contains("node 9 is not a peer of node 1"));
  }

  @Test
  void aHelloForAnotherNodeIsRejected() throws Exception {
    expectRejected(rawConnectionToNodeOne(), frame(new Hello(2, 3)), false, FrameError.WRONG_NODE);
  }

  @Test
  void aMessageBeforeTheHelloIsRejected() throws Exception {
    expectRejected(rawConnectionToNodeOne(), frame(new RequestVoteRequest(2, 1, 1, 0, 0)), false,
        FrameError.BAD_HANDSHAKE);
  }

  @Test
  void aMessageClaimingAnotherSenderIsRejected() throws Exception {
    byte[] hello = frame(new Hello(2, 1));
    byte[] forged = frame(new RequestVoteRequest(3, 1, 1, 0, 0));
    byte[] bytes = new byte[hello.length + forged.length];
    System.arraycopy(hello, 0, bytes, 0, hello.length);
    System.arraycopy(forged, 0, bytes, hello.length, forged.length);
    expectRejected(rawConnectionToNodeOne(), bytes, false, FrameError.WRONG_NODE);
  }

  @Test
  void aValidConnectionDeliversUntilItBreaksTheProtocol() throws Exception {
    Socket socket = rawConnectionToNodeOne();
    OutputStream out = socket.getOutputStream();
    out.write(frame(new Hello(3, 1)));
    out.write(frame(new RequestVoteRequest(3, 1, 4, 0, 0)));
    out.flush();
    assertEquals(new RequestVoteRequest(3, 1, 4, 0, 0), take(received));
    byte[] bad = frame(new RequestVoteResponse(3, 1, 4, true));
    bad[bad.length - 1] = 7; // the boolean, with its CRC now wrong
    out.write(bad);
    out.flush();
    assertEquals(-1, socket.getInputStream().read());
    assertEquals(1, receiver.stats().received());
    assertTrue(receiver.stats().lastRejection().contains(FrameError.BAD_CHECKSUM.name()));
  }

  @Test
  void sendRefusesWhatCannotBeSent() throws Exception {
    ServerSocket l1 = listener();
    TcpTransport one = closeLater(new TcpTransport(1, l1, Map.of(2, new InetSocketAddress(LOOPBACK, 1)), FAST_RETRY));
    assertFalse(one.send(new RequestVoteRequest(1, 2, 1, 0, 0)), "not started");
    one.start((m, clock) -> { });
    assertFalse(one.send(new RequestVoteRequest(1, 5, 1, 0, 0)), "not a peer");
    Message huge = new AppendEntriesRequest(1, 2, 1, 0, 0, List.of(new LogEntry(1, new byte[70_000])), 0);
    assertFalse(one.send(huge), "larger than a frame");
    one.close();
    assertFalse(one.send(new RequestVoteRequest(1, 2, 1, 0, 0)), "closed");
    assertEquals(4, one.stats().dropped());
  }

  /** Caught a race: a thread spawned but not yet started could be dropped from the list close() joins. */
  @Test
  void closeStopsEveryThread() throws Exception {
    ServerSocket l1 = listener();
    ServerSocket l2 = listener();
    TcpTransport one = new TcpTransport(1, l1, Map.of(2, address(l2)), FAST_RETRY);
    TcpTransport two = closeLater(new TcpTransport(2, l2, Map.of(1, address(l1)), FAST_RETRY));
    BlockingQueue<Message> at2 = new LinkedBlockingQueue<>();
    two.start((m, clock) -> at2.add(m));
    one.start((m, clock) -> { });
    one.send(new RequestVoteRequest(1, 2, 1, 0, 0));
    take(at2);
    one.close();
    // A watcher started by a connection made while close() ran may outlive it briefly (its socket is
    // closed, so it ends at once); every other thread must be gone when close() returns.
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      assertFalse(thread.getName().startsWith("raftref-1-") && thread.isAlive()
          && !thread.getName().startsWith("raftref-1-watch"), "still running: " + thread.getName());
    }
    assertInstanceOf(TransportStats.class, one.stats());
  }
}
