package org.raftref.transport;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/**
 * The wire format: one frame per message, each field written explicitly (no Java serialization).
 * Big-endian.
 *
 * <pre>
 * frame  = magic:u32 "RRFT"  version:u8 (1)  type:u8  flags:u16 (0)  length:u32  crc:u32  body:byte[length]
 * crc    = CRC32C(the first 12 header bytes, then the body)
 * type 0 Hello                  senderId:i32 receiverId:i32
 * types 1-4, a message:         clock:i64 (not negative), then its fields:
 * type 1 RequestVoteRequest     from:i32 to:i32 term:i64 lastLogTerm:i64 lastLogIndex:i64
 * type 2 RequestVoteResponse    from:i32 to:i32 term:i64 voteGranted:u8 (0 or 1)
 * type 3 AppendEntriesRequest   from:i32 to:i32 term:i64 prevLogIndex:i64 prevLogTerm:i64 leaderCommit:i64
 *                               count:u32, then count times: term:i64 length:u32 command:byte[length]
 * type 4 AppendEntriesResponse  from:i32 to:i32 term:i64 success:u8 (0 or 1) matchIndex:i64
 *                               conflictTerm:i64 conflictIndex:i64
 * </pre>
 *
 * <p>The clock is whatever the sender attached (the runtime's Lamport clock); the codec only carries it.
 *
 * <p>Decoding never throws and never trusts a length before checking it against the bytes that are there:
 * it allocates only for what the input actually holds, and a frame is at most {@link #maxFrameBytes()}.
 * A body must be consumed exactly, and must decode to a well-formed message.
 *
 * <p>Immutable and thread-safe.
 */
public final class FrameCodec {

  public static final int MAGIC = 0x52524654; // "RRFT"
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 16;
  /** Large enough for an AppendEntries carrying one 16 MiB command (the file storage's default limit). */
  public static final int DEFAULT_MAX_FRAME_BYTES = 32 << 20;

  static final int TYPE_HELLO = 0;
  static final int TYPE_REQUEST_VOTE_REQUEST = 1;
  static final int TYPE_REQUEST_VOTE_RESPONSE = 2;
  static final int TYPE_APPEND_ENTRIES_REQUEST = 3;
  static final int TYPE_APPEND_ENTRIES_RESPONSE = 4;
  private static final int ENTRY_FIXED_BYTES = 12;
  private static final int CLOCK_BYTES = 8;

  private final int maxFrameBytes;

  public FrameCodec(int maxFrameBytes) {
    if (maxFrameBytes < 1024) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 1024, was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  // ---------------------------------------------------------------------------------------------------
  // Encoding

  /** The bytes the frame of {@code message} takes (may exceed {@link #maxFrameBytes()}; then it cannot be sent). */
  public static long frameSize(Message message) {
    if (message instanceof RequestVoteRequest) {
      return HEADER_BYTES + CLOCK_BYTES + 32;
    } else if (message instanceof RequestVoteResponse) {
      return HEADER_BYTES + CLOCK_BYTES + 17;
    } else if (message instanceof AppendEntriesRequest request) {
      long size = HEADER_BYTES + CLOCK_BYTES + 44;
      for (LogEntry entry : request.entries()) {
        size += ENTRY_FIXED_BYTES + entry.command().length;
      }
      return size;
    } else {
      return HEADER_BYTES + CLOCK_BYTES + 41;
    }
  }

  /**
   * Writes the frame of {@code message}, carrying {@code clock}, at {@code out}'s position and advances it.
   *
   * @throws IllegalArgumentException if the frame would exceed {@link #maxFrameBytes()}, or the clock is
   *     negative
   * @throws java.nio.BufferOverflowException if {@code out} has less room than {@link #frameSize}
   */
  public void encode(Message message, long clock, ByteBuffer out) {
    long size = frameSize(message);
    if (size > maxFrameBytes) {
      throw new IllegalArgumentException(message.type() + " to " + message.to() + " needs a " + size
          + "-byte frame, more than the maximum " + maxFrameBytes);
    }
    if (clock < 0) {
      throw new IllegalArgumentException("clock must not be negative, was " + clock);
    }
    int start = out.position();
    int type;
    out.position(start + HEADER_BYTES);
    out.putLong(clock);
    if (message instanceof RequestVoteRequest m) {
      type = TYPE_REQUEST_VOTE_REQUEST;
      out.putInt(m.from()).putInt(m.to()).putLong(m.term()).putLong(m.lastLogTerm()).putLong(m.lastLogIndex());
    } else if (message instanceof RequestVoteResponse m) {
      type = TYPE_REQUEST_VOTE_RESPONSE;
      out.putInt(m.from()).putInt(m.to()).putLong(m.term()).put(bool(m.voteGranted()));
    } else if (message instanceof AppendEntriesRequest m) {
      type = TYPE_APPEND_ENTRIES_REQUEST;
      out.putInt(m.from()).putInt(m.to()).putLong(m.term()).putLong(m.prevLogIndex()).putLong(m.prevLogTerm())
          .putLong(m.leaderCommit()).putInt(m.entries().size());
      for (LogEntry entry : m.entries()) {
        out.putLong(entry.term()).putInt(entry.command().length).put(entry.command());
      }
    } else {
      AppendEntriesResponse m = (AppendEntriesResponse) message;
      type = TYPE_APPEND_ENTRIES_RESPONSE;
      out.putInt(m.from()).putInt(m.to()).putLong(m.term()).put(bool(m.success())).putLong(m.matchIndex())
          .putLong(m.conflictTerm()).putLong(m.conflictIndex());
    }
    finishFrame(out, start, type);
  }

  /** Writes the handshake frame at {@code out}'s position and advances it. */
  public void encode(Hello hello, ByteBuffer out) {
    int start = out.position();
    out.position(start + HEADER_BYTES);
    out.putInt(hello.senderId()).putInt(hello.receiverId());
    finishFrame(out, start, TYPE_HELLO);
  }

  private static void finishFrame(ByteBuffer out, int start, int type) {
    int end = out.position();
    out.putInt(start, MAGIC);
    out.put(start + 4, (byte) VERSION);
    out.put(start + 5, (byte) type);
    out.putShort(start + 6, (short) 0);
    out.putInt(start + 8, end - start - HEADER_BYTES);
    out.putInt(start + 12, checksum(out, start, end - start - HEADER_BYTES));
  }

  private static byte bool(boolean value) {
    return (byte) (value ? 1 : 0);
  }

  /** CRC32C of the 12 header bytes at {@code start} and the {@code bodyLength} body bytes after the header. */
  private static int checksum(ByteBuffer buffer, int start, int bodyLength) {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buffer.duplicate();
    view.limit(start + 12).position(start);
    crc.update(view);
    view.limit(start + HEADER_BYTES + bodyLength).position(start + HEADER_BYTES);
    crc.update(view);
    return (int) crc.getValue();
  }

  // ---------------------------------------------------------------------------------------------------
  // Decoding

  /**
   * Decodes the frame at {@code in}'s position (up to its limit). On a whole frame, advances {@code in}
   * past it; otherwise leaves the position alone. With a valid header and an incomplete body, reports
   * exactly how many bytes the frame still needs.
   */
  public DecodeResult decode(ByteBuffer in) {
    int start = in.position();
    int available = in.remaining();
    if (available < HEADER_BYTES) {
      if (available >= 4 && in.getInt(start) != MAGIC) {
        return badMagic(in.getInt(start));
      }
      return new DecodeResult.NeedMoreBytes(HEADER_BYTES - available);
    }
    int magic = in.getInt(start);
    if (magic != MAGIC) {
      return badMagic(magic);
    }
    int version = in.get(start + 4) & 0xff;
    if (version != VERSION) {
      return new DecodeResult.Malformed(FrameError.UNSUPPORTED_VERSION,
          "protocol version " + version + ", this node speaks version " + VERSION);
    }
    int type = in.get(start + 5) & 0xff;
    if (type > TYPE_APPEND_ENTRIES_RESPONSE) {
      return new DecodeResult.Malformed(FrameError.UNKNOWN_TYPE, "unknown frame type " + type);
    }
    int flags = in.getShort(start + 6) & 0xffff;
    if (flags != 0) {
      return new DecodeResult.Malformed(FrameError.BAD_FLAGS, "reserved flags 0x" + Integer.toHexString(flags)
          + " are not zero");
    }
    long bodyLength = in.getInt(start + 8) & 0xffffffffL;
    if (bodyLength > maxFrameBytes - HEADER_BYTES) {
      return new DecodeResult.Malformed(FrameError.OVERSIZED, "a frame of " + (bodyLength + HEADER_BYTES)
          + " bytes, more than the maximum " + maxFrameBytes);
    }
    int frameLength = HEADER_BYTES + (int) bodyLength;
    if (available < frameLength) {
      return new DecodeResult.NeedMoreBytes(frameLength - available);
    }
    if (in.getInt(start + 12) != checksum(in, start, (int) bodyLength)) {
      return new DecodeResult.Malformed(FrameError.BAD_CHECKSUM, "CRC32C mismatch in a frame of type " + type);
    }
    ByteBuffer body = in.duplicate();
    body.limit(start + frameLength).position(start + HEADER_BYTES);
    DecodeResult result;
    try {
      result = decodeBody(type, body);
    } catch (BadBody e) {
      return new DecodeResult.Malformed(FrameError.BAD_BODY, typeName(type) + ": " + e.getMessage());
    }
    if (result instanceof DecodeResult.MessageFrame frame) {
      String malformation = frame.message().malformation();
      if (malformation != null) {
        return new DecodeResult.Malformed(FrameError.INVALID_MESSAGE, typeName(type) + ": " + malformation);
      }
    }
    in.position(start + frameLength);
    return result;
  }

  private static DecodeResult.Malformed badMagic(int magic) {
    return new DecodeResult.Malformed(FrameError.BAD_MAGIC, "frame starts with 0x" + Integer.toHexString(magic)
        + ", not the magic number 0x" + Integer.toHexString(MAGIC));
  }

  private static String typeName(int type) {
    switch (type) {
      case TYPE_HELLO:
        return "Hello";
      case TYPE_REQUEST_VOTE_REQUEST:
        return "RequestVoteRequest";
      case TYPE_REQUEST_VOTE_RESPONSE:
        return "RequestVoteResponse";
      case TYPE_APPEND_ENTRIES_REQUEST:
        return "AppendEntriesRequest";
      default:
        return "AppendEntriesResponse";
    }
  }

  private static DecodeResult decodeBody(int type, ByteBuffer body) throws BadBody {
    DecodeResult result;
    long clock = type == TYPE_HELLO ? 0 : int64(body);
    if (clock < 0) {
      throw new BadBody("the clock is negative: " + clock);
    }
    switch (type) {
      case TYPE_HELLO: {
        Hello hello = new Hello(int32(body), int32(body));
        if (hello.senderId() <= 0 || hello.receiverId() <= 0) {
          throw new BadBody("node ids must be positive, were " + hello.senderId() + " and " + hello.receiverId());
        }
        result = new DecodeResult.HelloFrame(hello);
        break;
      }
      case TYPE_REQUEST_VOTE_REQUEST:
        result = new DecodeResult.MessageFrame(
            new RequestVoteRequest(int32(body), int32(body), int64(body), int64(body), int64(body)), clock);
        break;
      case TYPE_REQUEST_VOTE_RESPONSE:
        result = new DecodeResult.MessageFrame(
            new RequestVoteResponse(int32(body), int32(body), int64(body), bool(body)), clock);
        break;
      case TYPE_APPEND_ENTRIES_REQUEST:
        result = new DecodeResult.MessageFrame(appendEntriesRequest(body), clock);
        break;
      default:
        result = new DecodeResult.MessageFrame(new AppendEntriesResponse(
            int32(body), int32(body), int64(body), bool(body), int64(body), int64(body), int64(body)), clock);
        break;
    }
    if (body.hasRemaining()) {
      throw new BadBody(body.remaining() + " bytes left over after the last field");
    }
    return result;
  }

  private static AppendEntriesRequest appendEntriesRequest(ByteBuffer body) throws BadBody {
    int from = int32(body);
    int to = int32(body);
    long term = int64(body);
    long prevLogIndex = int64(body);
    long prevLogTerm = int64(body);
    long leaderCommit = int64(body);
    long count = int32(body) & 0xffffffffL;
    // Each entry takes at least ENTRY_FIXED_BYTES: a count the body cannot hold is refused before anything
    // is allocated for it.
    if (count > body.remaining() / ENTRY_FIXED_BYTES) {
      throw new BadBody("claims " + count + " entries, but only " + body.remaining() + " bytes follow");
    }
    List<LogEntry> entries = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long entryTerm = int64(body);
      long length = int32(body) & 0xffffffffL;
      if (length > body.remaining()) {
        throw new BadBody("entry " + i + " claims a " + length + "-byte command, but only " + body.remaining()
            + " bytes follow");
      }
      byte[] command = new byte[(int) length];
      body.get(command);
      entries.add(new LogEntry(entryTerm, command));
    }
    return new AppendEntriesRequest(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit);
  }

  private static int int32(ByteBuffer body) throws BadBody {
    if (body.remaining() < 4) {
      throw new BadBody("body ends inside a field");
    }
    return body.getInt();
  }

  private static long int64(ByteBuffer body) throws BadBody {
    if (body.remaining() < 8) {
      throw new BadBody("body ends inside a field");
    }
    return body.getLong();
  }

  private static boolean bool(ByteBuffer body) throws BadBody {
    if (body.remaining() < 1) {
      throw new BadBody("body ends inside a field");
    }
    int value = body.get();
    if (value != 0 && value != 1) {
      throw new BadBody("a boolean field holds " + value + ", not 0 or 1");
    }
    return value == 1;
  }

  /** A body that does not decode; caught inside {@link #decode}, never thrown out of it. */
  private static final class BadBody extends Exception {
    private static final long serialVersionUID = 1L;

    BadBody(String message) {
      super(message, null, false, false);
    }
  }
}
