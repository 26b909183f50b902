package org.raftref.runtime.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PipelinedRaftClient} against fake servers on loopback that answer as a script says: many requests in
 * flight on one connection, replies out of order, NotLeader hints, a connection that breaks, a cluster with
 * nobody listening, a refused command. Timeouts only guard against hangs.
 */
class PipelinedRaftClientTest {

  private static final long WAIT_SECONDS = 30;
  private final List<FakeNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws IOException {
    for (FakeNode node : nodes) {
      node.close();
    }
  }

  /** What a fake node does with each request it reads. */
  private interface Script {
    /** Replies to {@code request} on {@code out} (or not); returns false to close the connection. */
    boolean answer(ClientFrame.Propose request, DataOutputStream out) throws IOException;
  }

  /** A server socket that serves one connection at a time with a {@link Script}. */
  private final class FakeNode implements AutoCloseable {
    final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    FakeNode(Script script) throws IOException {
      nodes.add(this);
      Thread thread = new Thread(() -> serve(script), "fake-node-" + listener.getLocalPort());
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(Script script) {
      while (true) {
        try (Socket socket = listener.accept()) {
          accepted.incrementAndGet();
          DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
          ClientFrame frame;
          while ((frame = ClientWire.read(in, 1 << 20)) != null) {
            requests.incrementAndGet();
            if (!script.answer((ClientFrame.Propose) frame, out)) {
              break;
            }
            out.flush();
          }
        } catch (IOException | ClientProtocolException e) {
          if (listener.isClosed()) {
            return;
          }
        }
      }
    }

    InetSocketAddress address() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  private static boolean echo(ClientFrame.Propose request, DataOutputStream out) throws IOException {
    ClientWire.write(out, new ClientFrame.Result(request.requestId(), request.command()));
    return true;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] get(CompletableFuture<byte[]> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void manyRequestsShareOneConnectionAndRepliesMayComeInAnyOrder() throws Exception {
    int n = 50;
    List<ClientFrame.Propose> held = new ArrayList<>();
    // The node answers nothing until it has read all n requests, then answers them last first: the client
    // must have sent them without waiting for replies, and must match replies by request id.
    FakeNode node = new FakeNode((request, out) -> {
      held.add(request);
      if (held.size() == n) {
        List<ClientFrame.Propose> reversed = new ArrayList<>(held);
        Collections.reverse(reversed);
        for (ClientFrame.Propose p : reversed) {
          echo(p, out);
        }
      }
      return true;
    });
    try (PipelinedRaftClient client = new PipelinedRaftClient(Map.of(1, node.address()), Duration.ofSeconds(30))) {
      List<CompletableFuture<byte[]>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(client.write(bytes("command " + i)));
      }
      for (int i = 0; i < n; i++) {
        assertArrayEquals(bytes("command " + i), get(futures.get(i)));
      }
    }
    assertEquals(1, node.accepted.get());
    assertEquals(n, node.requests.get());
  }

  @Test
  void aNotLeaderHintSendsTheCommandToTheLeaderAndLaterCommandsGoThereFirst() throws Exception {
    FakeNode follower = new FakeNode((request, out) -> {
      ClientWire.write(out, new ClientFrame.NotLeader(request.requestId(), 2, 7));
      return true;
    });
    FakeNode leader = new FakeNode(PipelinedRaftClientTest::echo);
    try (PipelinedRaftClient client = new PipelinedRaftClient(Map.of(1, follower.address(), 2, leader.address()),
        Duration.ofSeconds(30))) {
      assertArrayEquals(bytes("first"), get(client.write(bytes("first"))));
      assertArrayEquals(bytes("second"), get(client.write(bytes("second"))));
    }
    assertEquals(1, follower.requests.get());
    assertEquals(2, leader.requests.get());
  }

  @Test
  void aBrokenConnectionSendsTheRequestsInFlightToAnotherNode() throws Exception {
    FakeNode crashing = new FakeNode((request, out) -> false); // reads a request, then drops the connection
    FakeNode survivor = new FakeNode(PipelinedRaftClientTest::echo);
    try (PipelinedRaftClient client = new PipelinedRaftClient(Map.of(1, crashing.address(), 2, survivor.address()),
        Duration.ofSeconds(30))) {
      assertArrayEquals(bytes("survives"), get(client.write(bytes("survives"))));
    }
    assertTrue(crashing.requests.get() >= 1, "node 1 saw the request before it dropped the connection");
    assertEquals(1, survivor.requests.get());
  }

  @Test
  void aClusterWithNobodyListeningFailsTheCommandAtItsDeadline() throws Exception {
    InetSocketAddress closed;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
    }
    try (PipelinedRaftClient client = new PipelinedRaftClient(Map.of(1, closed), Duration.ofMillis(200))) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.write(bytes("lost"))));
      assertInstanceOf(ClusterUnavailableException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("node 1"), e.getCause().getMessage());
    }
  }

  @Test
  void aCommandTheLeaderRefusesFailsWithoutRetrying() throws Exception {
    FakeNode leader = new FakeNode((request, out) -> {
      ClientWire.write(out, new ClientFrame.Failed(request.requestId(), false, "too large"));
      return true;
    });
    try (PipelinedRaftClient client = new PipelinedRaftClient(Map.of(1, leader.address()), Duration.ofSeconds(30))) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> get(client.write(bytes("big"))));
      assertInstanceOf(CommandRejectedException.class, e.getCause());
    }
    assertEquals(1, leader.requests.get());
  }

  /**
   * A resend still waiting in the retry scheduler when the client closes fails with
   * ClusterUnavailableException: it is never left pending forever. (The scheduler here holds its tasks and runs
   * none, so the command is certainly waiting there when close() runs.)
   */
  @Test
  void closingFailsTheCommandsWaitingForAResend() throws Exception {
    java.util.concurrent.ScheduledThreadPoolExecutor holding = new java.util.concurrent.ScheduledThreadPoolExecutor(1) {
      @Override
      public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return super.schedule(command, 1, TimeUnit.DAYS);
      }
    };
    PipelinedRaftClient client = new PipelinedRaftClient(
        Map.of(1, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), Duration.ofMinutes(1), holding);
    CompletableFuture<byte[]> waiting = client.write(bytes("x")); // no connection yet: handed to the scheduler
    client.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
    assertInstanceOf(ClusterUnavailableException.class, e.getCause());
    assertEquals("the client was closed", e.getCause().getMessage());
  }
}
