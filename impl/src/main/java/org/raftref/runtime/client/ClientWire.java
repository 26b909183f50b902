package org.raftref.runtime.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.Role;
import org.raftref.runtime.ServerStatus;

/**
 * The client protocol's wire format: length-prefixed binary frames over TCP, big-endian.
 *
 * <pre>
 * frame   = magic:u32 "RRCL"  version:u8 (1)  type:u8  requestId:i64  length:u32  body:byte[length]
 * type 1  Propose       command:byte[length]
 * type 2  StatusRequest (empty body)
 * type 16 Result        result:byte[length]
 * type 17 NotLeader     leaderHint:i32 term:i64
 * type 18 Failed        retryable:u8 (0 or 1)  reason:UTF-8 (rest of the body)
 * type 19 StatusReply   id:i32 state:u8 term:i64 role:u8 leaderId:i32 commitIndex:i64 appliedIndex:i64
 *                       lastLogIndex:i64 syncs:i64 failure:UTF-8 (rest of the body; empty unless FAILED)
 * </pre>
 *
 * A frame whose magic, version or type is unknown, whose length exceeds the receiver's limit, or whose body
 * does not parse exactly is refused with a {@link ClientProtocolException}; the reader closes the
 * connection. TCP already checksums, and a client frame never reaches the disk, so there is no CRC here.
 */
public final class ClientWire {

  public static final int MAGIC = 0x5252434C; // "RRCL"
  public static final int VERSION = 1;
  /** Fixed part of every frame: magic, version, type, requestId, length. */
  public static final int HEADER_BYTES = 4 + 1 + 1 + 8 + 4;
  /** Room for a maximal command plus the largest fixed body. */
  public static final int BODY_SLACK = 64 << 10;

  static final int PROPOSE = 1;
  static final int STATUS_REQUEST = 2;
  static final int RESULT = 16;
  static final int NOT_LEADER = 17;
  static final int FAILED = 18;
  static final int STATUS_REPLY = 19;

  private ClientWire() {}

  /** Writes {@code frame} (not flushed). */
  public static void write(DataOutputStream out, ClientFrame frame) throws IOException {
    byte[] body = body(frame);
    out.writeInt(MAGIC);
    out.writeByte(VERSION);
    out.writeByte(type(frame));
    out.writeLong(frame.requestId());
    out.writeInt(body.length);
    out.write(body);
  }

  /**
   * Reads the next frame, or returns null if the stream ends cleanly before one starts.
   *
   * @throws ClientProtocolException if the bytes are not a frame, or the body is longer than {@code maxBody}
   * @throws EOFException if the stream ends inside a frame
   */
  public static @Nullable ClientFrame read(DataInputStream in, int maxBody) throws IOException, ClientProtocolException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int magic = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
    if (magic != MAGIC) {
      throw new ClientProtocolException(String.format("bad magic 0x%08x, expected 0x%08x (\"RRCL\")", magic, MAGIC));
    }
    int version = in.readUnsignedByte();
    if (version != VERSION) {
      throw new ClientProtocolException("unsupported client protocol version " + version + ", this is " + VERSION);
    }
    int type = in.readUnsignedByte();
    long requestId = in.readLong();
    long length = Integer.toUnsignedLong(in.readInt());
    if (length > maxBody) {
      throw new ClientProtocolException("a frame of type " + type + " claims a " + length + "-byte body, more than "
          + "the " + maxBody + " allowed");
    }
    byte[] body = new byte[(int) length];
    in.readFully(body);
    try {
      return decode(type, requestId, ByteBuffer.wrap(body));
    } catch (BufferUnderflowException e) {
      throw new ClientProtocolException("a frame of type " + type + " has a " + length + "-byte body, too short");
    }
  }

  private static ClientFrame decode(int type, long requestId, ByteBuffer body) throws ClientProtocolException {
    ClientFrame frame;
    switch (type) {
      case PROPOSE -> frame = new ClientFrame.Propose(requestId, rest(body));
      case STATUS_REQUEST -> frame = new ClientFrame.StatusRequest(requestId);
      case RESULT -> frame = new ClientFrame.Result(requestId, rest(body));
      case NOT_LEADER -> frame = new ClientFrame.NotLeader(requestId, body.getInt(), body.getLong());
      case FAILED -> {
        boolean retryable = bool(body.get());
        frame = new ClientFrame.Failed(requestId, retryable, new String(rest(body), StandardCharsets.UTF_8));
      }
      case STATUS_REPLY -> frame = new ClientFrame.StatusReply(requestId, status(body));
      default -> throw new ClientProtocolException("unknown frame type " + type);
    }
    if (body.hasRemaining()) {
      throw new ClientProtocolException("a frame of type " + type + " has " + body.remaining() + " bytes too many");
    }
    return frame;
  }

  private static ServerStatus status(ByteBuffer body) throws ClientProtocolException {
    int id = body.getInt();
    int state = body.get();
    long term = body.getLong();
    int role = body.get();
    int leaderId = body.getInt();
    long commitIndex = body.getLong();
    long appliedIndex = body.getLong();
    long lastLogIndex = body.getLong();
    long syncs = body.getLong();
    String failure = new String(rest(body), StandardCharsets.UTF_8);
    ServerStatus.State[] states = ServerStatus.State.values();
    Role[] roles = Role.values();
    if (state < 0 || state >= states.length || role < 0 || role >= roles.length) {
      throw new ClientProtocolException("a status reply has state " + state + " and role " + role
          + ", not both known");
    }
    boolean failed = states[state] == ServerStatus.State.FAILED;
    if (failed == failure.isEmpty()) {
      throw new ClientProtocolException("a status reply in state " + states[state] + " has "
          + (failure.isEmpty() ? "no" : "a") + " failure reason");
    }
    return new ServerStatus(id, states[state], term, roles[role], leaderId, commitIndex, appliedIndex, lastLogIndex,
        syncs, failed ? failure : null);
  }

  private static int type(ClientFrame frame) {
    if (frame instanceof ClientFrame.Propose) {
      return PROPOSE;
    } else if (frame instanceof ClientFrame.StatusRequest) {
      return STATUS_REQUEST;
    } else if (frame instanceof ClientFrame.Result) {
      return RESULT;
    } else if (frame instanceof ClientFrame.NotLeader) {
      return NOT_LEADER;
    } else if (frame instanceof ClientFrame.Failed) {
      return FAILED;
    }
    return STATUS_REPLY;
  }

  private static byte[] body(ClientFrame frame) {
    if (frame instanceof ClientFrame.Propose p) {
      return p.command();
    } else if (frame instanceof ClientFrame.StatusRequest) {
      return new byte[0];
    } else if (frame instanceof ClientFrame.Result r) {
      return r.result();
    } else if (frame instanceof ClientFrame.NotLeader n) {
      return ByteBuffer.allocate(12).putInt(n.leaderHint()).putLong(n.term()).array();
    } else if (frame instanceof ClientFrame.Failed f) {
      byte[] reason = f.reason().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(1 + reason.length).put((byte) (f.retryable() ? 1 : 0)).put(reason).array();
    }
    ServerStatus s = ((ClientFrame.StatusReply) frame).status();
    String failureText = s.failure();
    byte[] failure = failureText == null ? new byte[0] : failureText.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + 1 + 8 + 1 + 4 + 8 * 4 + failure.length)
        .putInt(s.id()).put((byte) s.state().ordinal()).putLong(s.term()).put((byte) s.role().ordinal())
        .putInt(s.leaderId()).putLong(s.commitIndex()).putLong(s.appliedIndex()).putLong(s.lastLogIndex())
        .putLong(s.syncs()).put(failure).array();
  }

  private static byte[] rest(ByteBuffer body) {
    byte[] bytes = new byte[body.remaining()];
    body.get(bytes);
    return bytes;
  }

  private static boolean bool(byte b) throws ClientProtocolException {
    if (b != 0 && b != 1) {
      throw new ClientProtocolException("a boolean byte is " + b + ", not 0 or 1");
    }
    return b == 1;
  }
}
