package org.raftref.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads frames from a stream with a {@link FrameCodec}: the header first, then exactly the body it
 * announces. Its buffer grows only to the frame sizes actually announced by headers that passed the
 * codec's checks, so never beyond the maximum frame size. Not thread-safe: one per connection.
 */
final class FrameReader {

  private final InputStream in;
  private final FrameCodec codec;
  private byte[] buffer = new byte[4096];

  FrameReader(InputStream in, FrameCodec codec) {
    this.in = in;
    this.codec = codec;
  }

  /**
   * The next frame, a {@link DecodeResult.Malformed} (also {@link FrameError#TRUNCATED} when the stream
   * ends inside a frame), or null when the stream ends cleanly between frames.
   *
   * @throws IOException if reading fails (a reset connection, a timeout)
   */
  @Nullable DecodeResult next() throws IOException {
    int got = readFully(0, FrameCodec.HEADER_BYTES);
    if (got == 0) {
      return null;
    }
    if (got < FrameCodec.HEADER_BYTES) {
      return truncated(got, FrameCodec.HEADER_BYTES);
    }
    DecodeResult header = codec.decode(ByteBuffer.wrap(buffer, 0, FrameCodec.HEADER_BYTES));
    if (!(header instanceof DecodeResult.NeedMoreBytes more)) {
      return header; // a malformed header, or a frame with an empty body
    }
    int frameLength = FrameCodec.HEADER_BYTES + more.missing();
    if (frameLength > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(frameLength, Math.min(buffer.length * 2, codec.maxFrameBytes())));
    }
    got = readFully(FrameCodec.HEADER_BYTES, more.missing());
    if (got < more.missing()) {
      return truncated(FrameCodec.HEADER_BYTES + got, frameLength);
    }
    return codec.decode(ByteBuffer.wrap(buffer, 0, frameLength));
  }

  private static DecodeResult truncated(int got, int needed) {
    return new DecodeResult.Malformed(FrameError.TRUNCATED,
        "the stream ended " + got + " bytes into a frame of " + needed);
  }

  /** Reads up to {@code length} bytes into the buffer at {@code offset}; fewer only at the end of the stream. */
  private int readFully(int offset, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n;
      try {
        n = in.read(buffer, offset + total, length - total);
      } catch (EOFException e) {
        n = -1;
      }
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
