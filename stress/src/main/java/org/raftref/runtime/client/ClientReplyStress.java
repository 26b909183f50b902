package org.raftref.runtime.client;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Replies on one client connection come from two threads: the connection's {@link FrameWriter} (the results
 * of proposals, a batch per write) and the connection's reader thread (a status reply). Both call
 * {@link FrameWriter#writeAll}, which writes under the connection's output monitor.
 */
@JCStressTest
@Description("Two threads reply on one connection at once: the client reads two whole frames, each intact (no"
    + " bytes of one inside the other). Result: the request ids of the frames read, in stream order (0: no"
    + " frame or a corrupt one).")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "The reply writer's frame first, then the reader's.")
@Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "The reader thread's reply first, then the writer's.")
@Outcome(expect = FORBIDDEN, desc = "A frame lost or corrupted: two replies interleaved on the wire, and the client"
    + " would close the connection as a protocol error or take a wrong result.")
@State
public class ClientReplyStress {

  private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
  // Buffered as on a real connection: a reply is several writes into the buffer, then one flush.
  private final DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(wire, 8));
  private final Socket socket = new Socket(); // closed only if a write fails; none does here

  private final FrameWriter writer = new FrameWriter(socket, out);

  @Actor
  public void replyWriter() {
    writer.writeAll(java.util.List.of(new ClientFrame.Result(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})));
  }

  @Actor
  public void readerThread() {
    writer.writeAll(java.util.List.of(new ClientFrame.NotLeader(2, 3, 4)));
  }

  @Arbiter
  public void client(II_Result r) {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
    r.r1 = next(in);
    r.r2 = next(in);
  }

  private static int next(DataInputStream in) {
    try {
      ClientFrame frame = ClientWire.read(in, 1 << 10);
      if (frame instanceof ClientFrame.Result result && result.result().length == 9 && result.result()[8] == 9) {
        return (int) result.requestId();
      }
      if (frame instanceof ClientFrame.NotLeader notLeader && notLeader.leaderHint() == 3 && notLeader.term() == 4) {
        return (int) notLeader.requestId();
      }
      return 0;
    } catch (IOException | ClientProtocolException e) {
      return 0;
    }
  }
}
