package org.raftref.runtime.client;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link PipelinedRaftClient}'s hand-overs on one connection (docs/concurrency.md, rows 16 and 17): caller
 * threads write requests on it, its reader thread completes them or, when the connection ends, hands every
 * request still in flight to the retry scheduler. Each sample builds a real client and a real
 * {@link PipelinedRaftClient.Connection} to node 1 on in-memory streams (no socket is opened), and a retry
 * scheduler that counts the resends given to it and runs none (so no thread starts).
 */
public final class PipelinedRaftClientStress {

  private PipelinedRaftClientStress() {}

  /** Two nodes, so that a failed connection moves the leader guess to a node with no connection yet. */
  private static final Map<Integer, InetSocketAddress> CLUSTER = Map.of(
      1, InetSocketAddress.createUnresolved("node-1", 1), 2, InetSocketAddress.createUnresolved("node-2", 2));

  /** The client's retry scheduler in a test: counts what it is given, runs nothing, starts no thread. */
  static final class CountingScheduler extends ScheduledThreadPoolExecutor {
    final AtomicInteger resends = new AtomicInteger();

    CountingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      resends.incrementAndGet();
      return null; // PipelinedRaftClient ignores the future of a resend
    }
  }

  /** A client of {@link #CLUSTER} whose resends go to {@code retries}; its commands time out after a minute. */
  static PipelinedRaftClient client(CountingScheduler retries) {
    return new PipelinedRaftClient(CLUSTER, Duration.ofMinutes(1), retries);
  }

  /** Opens the client's connection to node 1 (its first leader guess) on {@code in} and {@code out}. */
  static PipelinedRaftClient.Connection connectToNode1(PipelinedRaftClient client, InputStream in, OutputStream out) {
    // An unconnected socket: the client only closes it (when the connection fails), which opens nothing.
    PipelinedRaftClient.Connection connection = client.new Connection(1, new Socket(), in, out);
    client.connections.put(1, connection);
    return connection;
  }

  /**
   * Two caller threads write on one connection at once: each frame goes out on its caller's thread (the only
   * request in flight) or through the connection's {@link FrameWriter} queue, which the arbiter drains as the
   * writer thread would. Breaks if a frame were written without holding the output stream's monitor (the
   * frames' bytes interleave: a frame reads as corrupt, result 0), if a queued frame were lost, or if two
   * writes could get the same request id (one would replace the other in the in-flight map: third result 1).
   */
  @JCStressTest
  @Description("Two callers write() on one open connection at once: the node reads two whole Propose frames, each"
      + " intact, and both requests are in flight under distinct request ids. Result: the command of each frame on"
      + " the wire in order (1 or 2: which caller's; 0: no frame, or a corrupt one), requests in flight.")
  @Outcome(id = "1, 2, 2", expect = ACCEPTABLE, desc = "Caller 1's frame first, then caller 2's.")
  @Outcome(id = "2, 1, 2", expect = ACCEPTABLE, desc = "Caller 2's frame first, then caller 1's.")
  @Outcome(expect = FORBIDDEN, desc = "A frame lost or corrupted (two writes interleaved on the wire: the node"
      + " would close the connection as a protocol error), or a request missing from the in-flight map (its reply"
      + " could never complete it).")
  @State
  public static class TwoWrites {

    private static final byte[] COMMAND_1 = {1};
    private static final byte[] COMMAND_2 = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};

    private final PipelinedRaftClient client = client(new CountingScheduler());
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private final PipelinedRaftClient.Connection connection =
        connectToNode1(client, new ByteArrayInputStream(new byte[0]), wire);

    @Actor
    public void caller1() {
      client.write(COMMAND_1);
    }

    @Actor
    public void caller2() {
      client.write(COMMAND_2);
    }

    @Arbiter
    public void node(III_Result r) {
      // The connection's writer thread is not started here: play it, writing what a caller queued for it.
      connection.writer.writeQueued();
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
      r.r1 = next(in);
      r.r2 = next(in);
      r.r3 = connection.inFlight.size();
    }

    private static int next(DataInputStream in) {
      try {
        if (ClientWire.read(in, 1 << 10) instanceof ClientFrame.Propose propose) {
          if (Arrays.equals(propose.command(), COMMAND_1)) {
            return 1;
          }
          if (Arrays.equals(propose.command(), COMMAND_2)) {
            return 2;
          }
        }
        return 0;
      } catch (IOException | ClientProtocolException e) {
        return 0;
      }
    }
  }

  /**
   * A caller writes while the connection's reader thread reads a reply, then the end of the stream, and fails
   * the connection. The request must end in exactly one place: completed by the reply, or handed to the retry
   * scheduler once (by the reader's {@code fail}, or by the caller's re-check of {@code failed} after its
   * write, or by {@code write} finding no connection). The in-memory stream accepts a write even after the
   * connection failed, like a socket whose send buffer took the bytes just before the close: so only the
   * re-check catches a request registered after {@code fail} took the in-flight map over. Breaks if that
   * re-check were removed (the request stays in the dead connection's map, never resent: "0, 0, 1"); if it
   * resent without winning the {@code remove} (resent twice: "0, 2, 0"); if {@code fail} set {@code failed}
   * after taking the map over instead of before (lost); or if {@code onReply} completed a request without
   * removing it (completed and resent: "1, 1, 0").
   */
  @JCStressTest
  @Description("A caller writes request 1 while the reader reads node 1's Result for request 1 and then the end of"
      + " the stream, and fails the connection: the request is completed with the result, or resent exactly once;"
      + " never lost, never both, never resent twice. Result: the future (1: completed with the node's result;"
      + " 0: pending; -1: failed or another result), resends scheduled, requests left in the failed connection's"
      + " in-flight map.")
  @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The caller registered the request before the reader read"
      + " the reply: the reply completed it.")
  @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "The reader read the reply before the request was registered"
      + " (dropped as a reply to no request, as a stale reply is; on a real connection a reply follows its"
      + " request), then the request was resent once: taken from the in-flight map by fail() or by the caller's"
      + " re-check, or sent elsewhere because the connection was already gone.")
  @Outcome(expect = FORBIDDEN, desc = "The request was lost (pending, not resent: its future would wait until"
      + " the client closes), resent twice, or both completed and resent.")
  @State
  public static class ReplyOrFailure {

    private static final byte[] COMMAND = {4, 4, 4, 4};
    private static final byte[] RESULT = {5, 6, 7};
    /** What node 1 sends: the result for request 1 (a client's first request id), then it closes. */
    private static final byte[] NODE_1_SENDS = frameBytes(new ClientFrame.Result(1, RESULT));

    private final CountingScheduler retries = new CountingScheduler();
    private final PipelinedRaftClient client = client(retries);
    private final PipelinedRaftClient.Connection connection =
        connectToNode1(client, new ByteArrayInputStream(NODE_1_SENDS), new ByteArrayOutputStream());
    private CompletableFuture<byte[]> future = new CompletableFuture<>();

    private static byte[] frameBytes(ClientFrame frame) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        ClientWire.write(new DataOutputStream(bytes), frame);
      } catch (IOException e) {
        throw new UncheckedIOException("writing to memory", e);
      }
      return bytes.toByteArray();
    }

    @Actor
    public void caller() {
      future = client.write(COMMAND);
    }

    @Actor
    public void readerThread() {
      connection.readReplies();
    }

    @Arbiter
    public void check(III_Result r) {
      r.r1 = futureState();
      r.r2 = retries.resends.get();
      r.r3 = connection.inFlight.size();
    }

    private int futureState() {
      try {
        byte[] result = future.getNow(null);
        return result == null ? 0 : Arrays.equals(result, RESULT) ? 1 : -1;
      } catch (CompletionException e) {
        return -1;
      }
    }
  }
}
