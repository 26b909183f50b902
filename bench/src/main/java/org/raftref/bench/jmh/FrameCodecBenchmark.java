package org.raftref.bench.jmh;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.transport.DecodeResult;
import org.raftref.transport.FrameCodec;

/**
 * The wire format's cost: {@link FrameCodec#encode(Message, long, ByteBuffer)} and
 * {@link FrameCodec#decode(ByteBuffer)} of an AppendEntriesRequest carrying 1 or 64 entries of 100 bytes,
 * and of an AppendEntriesResponse. Heap buffers, as the TCP transport uses.
 *
 * <p>Unit: ops/s. One op is one whole frame encoded into a buffer (header, CRC32C and body), or one whole
 * frame decoded into a message (checks, CRC32C, and the message with its entries' command arrays).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBenchmark {

  /** One frame of a message, held both as a message to encode and as bytes to decode. */
  abstract static class Frame {
    final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    /** Not final and not a literal, so that the JIT cannot fold it into the encoding. */
    long clock = 42;
    Message message = new AppendEntriesResponse(1, 2, 1, true, 1, 0, 0);
    ByteBuffer out = ByteBuffer.allocate(0);
    ByteBuffer encoded = ByteBuffer.allocate(0);

    void prepare(Message frameMessage) {
      message = frameMessage;
      out = ByteBuffer.allocate((int) FrameCodec.frameSize(message));
      encoded = ByteBuffer.allocate(out.capacity());
      codec.encode(message, clock, encoded);
      encoded.flip();
      if (!(codec.decode(encoded.duplicate()) instanceof DecodeResult.MessageFrame)) {
        throw new IllegalStateException("the encoded " + message.type() + " does not decode");
      }
    }

    ByteBuffer encode() {
      out.clear();
      codec.encode(message, clock, out);
      return out;
    }

    DecodeResult decode() {
      encoded.position(0);
      return codec.decode(encoded);
    }
  }

  /** An AppendEntriesRequest from leader 1 to node 2 carrying {@code entries} 100-byte entries. */
  @State(Scope.Thread)
  public static class RequestFrame extends Frame {

    @Param({"1", "64"})
    int entries;

    @Setup(Level.Trial)
    public void prepare() {
      List<LogEntry> list = new ArrayList<>();
      for (int i = 0; i < entries; i++) {
        list.add(new LogEntry(3, RaftNodeStepBenchmark.command(i)));
      }
      prepare(new AppendEntriesRequest(1, 2, 3, 1000, 3, list, 990));
    }
  }

  /** A success AppendEntriesResponse from node 2 to leader 1. */
  @State(Scope.Thread)
  public static class ResponseFrame extends Frame {

    @Setup(Level.Trial)
    public void prepare() {
      prepare(new AppendEntriesResponse(2, 1, 3, true, 1064, 0, 0));
    }
  }

  @Benchmark
  public ByteBuffer encodeAppendEntriesRequest(RequestFrame frame) {
    return frame.encode();
  }

  @Benchmark
  public DecodeResult decodeAppendEntriesRequest(RequestFrame frame) {
    return frame.decode();
  }

  @Benchmark
  public ByteBuffer encodeAppendEntriesResponse(ResponseFrame frame) {
    return frame.encode();
  }

  @Benchmark
  public DecodeResult decodeAppendEntriesResponse(ResponseFrame frame) {
    return frame.decode();
  }
}
