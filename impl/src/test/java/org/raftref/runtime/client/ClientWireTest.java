package org.raftref.runtime.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.core.Role;
import org.raftref.runtime.NotLeaderException;
import org.raftref.runtime.ServerBusyException;
import org.raftref.runtime.ServerStatus;

class ClientWireTest {

  private static byte[] encode(ClientFrame frame) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    ClientWire.write(out, frame);
    out.flush();
    return bytes.toByteArray();
  }

  private static ClientFrame decode(byte[] bytes, int maxBody) throws Exception {
    return ClientWire.read(new DataInputStream(new ByteArrayInputStream(bytes)), maxBody);
  }

  @Test
  void everyFrameRoundTrips() throws Exception {
    ServerStatus failed = new ServerStatus(3, ServerStatus.State.FAILED, 9, Role.Follower, 2, 40, 39, 41, 17,
        "storage failed: fsync");
    ServerStatus leader = new ServerStatus(2, ServerStatus.State.RUNNING, 9, Role.Leader, 2, 40, 40, 40, 5, null);
    List<ClientFrame> frames = List.of(
        new ClientFrame.Propose(1, new byte[] {1, 2, 3}),
        new ClientFrame.Propose(2, new byte[0]),
        new ClientFrame.StatusRequest(3),
        new ClientFrame.Result(4, "value".getBytes()),
        new ClientFrame.NotLeader(5, 2, 7),
        new ClientFrame.Failed(6, true, "leadership changed ✓"),
        new ClientFrame.StatusReply(7, failed),
        new ClientFrame.StatusReply(-8, leader));
    for (ClientFrame frame : frames) {
      ClientFrame back = decode(encode(frame), 1 << 20);
      assertEquals(frame.getClass(), back.getClass());
      assertEquals(frame.requestId(), back.requestId());
      if (frame instanceof ClientFrame.Propose p) {
        assertArrayEquals(p.command(), ((ClientFrame.Propose) back).command());
      } else if (frame instanceof ClientFrame.Result r) {
        assertArrayEquals(r.result(), ((ClientFrame.Result) back).result());
      } else {
        assertEquals(frame, back);
      }
    }
  }

  @Test
  void aCleanEndBeforeAFrameIsNoFrame() throws Exception {
    assertNull(decode(new byte[0], 100));
  }

  @Test
  void malformedFramesAreRefusedWithTheirReason() throws Exception {
    byte[] good = encode(new ClientFrame.NotLeader(5, 2, 7));
    byte[] badMagic = good.clone();
    badMagic[0] = 'X';
    assertTrue(refusal(badMagic).contains("bad magic"));
    byte[] badVersion = good.clone();
    badVersion[4] = 9;
    assertTrue(refusal(badVersion).contains("version 9"));
    byte[] unknownType = good.clone();
    unknownType[5] = 99;
    assertTrue(refusal(unknownType).contains("unknown frame type 99"));
    byte[] tooShort = withBody(good, new byte[5]);
    assertTrue(refusal(tooShort).contains("too short"));
    byte[] tooLong = withBody(good, new byte[13]);
    assertTrue(refusal(tooLong).contains("1 bytes too many"));
    byte[] notABoolean = withBody(encode(new ClientFrame.Failed(1, true, "x")), new byte[] {2, 'x'});
    assertTrue(refusal(notABoolean).contains("not 0 or 1"));
    ClientProtocolException oversized = assertThrows(ClientProtocolException.class,
        () -> decode(encode(new ClientFrame.Propose(1, new byte[101])), 100));
    assertTrue(oversized.getMessage().contains("101-byte body"), oversized.getMessage());
  }

  @Test
  void aStreamEndingInsideAFrameIsAnError() throws Exception {
    byte[] good = encode(new ClientFrame.Propose(1, new byte[] {1, 2, 3}));
    for (int cut = 1; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(EOFException.class, () -> decode(truncated, 100), "cut at " + cut);
    }
  }

  @Test
  void failedProposalsBecomeTypedReplies() {
    assertEquals(new ClientFrame.NotLeader(4, 3, 8), ClientService.failed(4, new NotLeaderException(1, 3, 8)));
    ClientFrame.Failed busy = (ClientFrame.Failed) ClientService.failed(5, new ServerBusyException(1, 10));
    assertTrue(busy.retryable());
    ClientFrame.Failed tooLarge = assertInstanceOf(ClientFrame.Failed.class,
        ClientService.failed(6, new IllegalArgumentException("too large")));
    assertEquals(false, tooLarge.retryable());
  }

  private static String refusal(byte[] bytes) {
    return assertThrows(ClientProtocolException.class, () -> decode(bytes, 1 << 20)).getMessage();
  }

  /** {@code frame}'s header with another body (and its length). */
  private static byte[] withBody(byte[] frame, byte[] body) {
    ByteBuffer out = ByteBuffer.allocate(ClientWire.HEADER_BYTES + body.length);
    out.put(frame, 0, ClientWire.HEADER_BYTES - 4).putInt(body.length).put(body);
    return out.array();
  }
}
