package org.raftref.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.raftref.message.Message;

/**
 * The codec over arbitrary input: every message type survives a round trip; arbitrary bytes and mutated
 * frames (with the CRC fixed up afterwards, so that the body parser is reached) never make the decoder
 * throw, never make it allocate more than a small multiple of what one frame may hold, and never make a
 * stream reader loop without consuming input. jqwik prints the seed of a failing try; replay it with
 * {@code @Property(seed = "...")}.
 */
class FrameCodecProperties {

  /** A small limit, so that inputs larger than a frame are common. */
  private static final int MAX_FRAME = 4096;
  private static final FrameCodec CODEC = new FrameCodec(MAX_FRAME);
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static byte[] frameOf(Message message) {
    ByteBuffer out = ByteBuffer.allocate((int) FrameCodec.frameSize(message));
    new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES).encode(message, 99, out);
    return out.array();
  }

  /**
   * Decodes {@code input}, checks the result's shape, and returns the bytes allocated meanwhile. The input
   * is decoded once before the measured call: the first run of a code path links call sites (string
   * concatenation, for one) and allocates for that once, whatever the input.
   */
  private static long decodeAndMeasure(byte[] input) {
    CODEC.decode(ByteBuffer.wrap(input));
    ByteBuffer buffer = ByteBuffer.wrap(input);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    DecodeResult result = CODEC.decode(buffer);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (result instanceof DecodeResult.MessageFrame frame) {
      assertNull(frame.message().malformation(), "decoded a malformed message");
      assertTrue(buffer.position() <= MAX_FRAME && buffer.position() <= input.length);
    } else {
      assertEquals(0, buffer.position(), "the position moved without a whole frame: " + result);
    }
    if (result instanceof DecodeResult.NeedMoreBytes more) {
      assertTrue(more.missing() > 0 && input.length + more.missing() <= MAX_FRAME, result.toString());
    }
    return allocated;
  }

  /** Allowed allocation: a few objects per byte of one frame (an entry of 12 bytes makes 3 objects), plus slack. */
  private static long allocationBound(int inputLength) {
    return 16L * Math.min(inputLength, MAX_FRAME) + 16 * 1024;
  }

  private static void assertBoundedAllocation(byte[] input, long allocated) {
    assertTrue(allocated <= allocationBound(input.length),
        "decoding " + input.length + " bytes allocated " + allocated + " bytes");
  }

  @Property(tries = 300)
  void everyMessageTypeSurvivesARoundTrip(@ForAll("messages") Message message,
      @ForAll @net.jqwik.api.constraints.Positive long clock) {
    ByteBuffer out = ByteBuffer.allocate((int) FrameCodec.frameSize(message));
    new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES).encode(message, clock, out);
    assertEquals(out.capacity(), out.position(), "frameSize() must be exact");
    out.flip();
    DecodeResult decoded = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES).decode(out);
    assertEquals(new DecodeResult.MessageFrame(message, clock), decoded);
    assertEquals(out.limit(), out.position());
  }

  @Property(tries = 50)
  void framesBackToBackAreReadInOrder(@ForAll @Size(max = 8) List<@net.jqwik.api.From("messages") Message> messages)
      throws IOException {
    FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    long total = messages.stream().mapToLong(FrameCodec::frameSize).sum();
    ByteBuffer out = ByteBuffer.allocate((int) total);
    long clock = 0;
    for (Message m : messages) {
      codec.encode(m, clock++, out);
    }
    FrameReader reader = new FrameReader(new ByteArrayInputStream(out.array()), codec);
    clock = 0;
    for (Message m : messages) {
      assertEquals(new DecodeResult.MessageFrame(m, clock++), reader.next());
    }
    assertNull(reader.next(), "the stream ended between frames");
  }

  @Property(tries = 1000)
  void arbitraryBytesNeverMakeTheDecoderThrowOrAllocateBeyondTheFrameLimit(
      @ForAll @Size(max = 3 * MAX_FRAME) byte[] input) {
    assertBoundedAllocation(input, decodeAndMeasure(input));
  }

  /** Bytes that start like a frame: a valid magic number and version, then anything. */
  @Property(tries = 1000)
  void bytesBehindAValidMagicNeverMakeTheDecoderThrow(@ForAll @Size(max = 2 * MAX_FRAME) byte[] rest,
      @ForAll("frameTypes") int type) {
    ByteBuffer input = ByteBuffer.allocate(6 + rest.length);
    input.putInt(FrameCodec.MAGIC).put((byte) FrameCodec.VERSION).put((byte) type).put(rest);
    byte[] bytes = input.array();
    assertBoundedAllocation(bytes, decodeAndMeasure(bytes));
  }

  @Property(tries = 2000)
  void mutatedFramesNeverMakeTheDecoderThrowOrAllocateBeyondTheFrameLimit(
      @ForAll("messages") Message message, @ForAll("seeds") long seed, @ForAll boolean fixChecksum) {
    byte[] mutated = mutate(frameOf(message), new Random(seed), fixChecksum);
    assertBoundedAllocation(mutated, decodeAndMeasure(mutated));
  }

  @Property(tries = 500)
  void aStreamOfArbitraryBytesEndsInBoundedSteps(@ForAll @Size(max = 3 * MAX_FRAME) byte[] input,
      @ForAll("messages") Message message, @ForAll("seeds") long seed) {
    byte[] frame = frameOf(message);
    byte[] stream = new Random(seed).nextBoolean() ? input : mutate(frame, new Random(seed), true);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      readAll(stream); // links the code paths this input takes (see decodeAndMeasure)
      long before = THREADS.getCurrentThreadAllocatedBytes();
      int frames = readAll(stream);
      long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertTrue(frames <= stream.length / FrameCodec.HEADER_BYTES + 1);
      assertTrue(allocated <= allocationBound(stream.length) * (frames + 1) + MAX_FRAME,
          "reading " + stream.length + " bytes allocated " + allocated);
    }, "a FrameReader hung"); // guards against a hang only; nothing here depends on time
  }

  /** Reads frames until the stream ends or a frame is rejected (the connection would close); returns frames read. */
  private static int readAll(byte[] stream) {
    FrameReader reader = new FrameReader(new ByteArrayInputStream(stream), CODEC);
    int frames = 0;
    try {
      for (DecodeResult r = reader.next(); r != null; r = reader.next()) {
        if (r instanceof DecodeResult.Malformed) {
          break;
        }
        assertTrue(!(r instanceof DecodeResult.NeedMoreBytes), "a reader never returns NeedMoreBytes");
        frames++;
      }
    } catch (IOException e) {
      throw new AssertionError("a ByteArrayInputStream does not fail", e);
    }
    return frames;
  }

  /** One to four mutations: flip a bit, overwrite, insert, delete a byte, cut the end; maybe fix the CRC. */
  private static byte[] mutate(byte[] frame, Random random, boolean fixChecksum) {
    byte[] bytes = frame;
    int mutations = 1 + random.nextInt(4);
    for (int i = 0; i < mutations && bytes.length > 0; i++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(5)) {
        case 0:
          bytes[at] ^= (byte) (1 << random.nextInt(8));
          break;
        case 1:
          bytes[at] = (byte) random.nextInt(256);
          break;
        case 2: {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
          break;
        }
        case 3: {
          byte[] shorter = new byte[bytes.length - 1];
          System.arraycopy(bytes, 0, shorter, 0, at);
          System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
          bytes = shorter;
          break;
        }
        default:
          bytes = Arrays.copyOf(bytes, at);
          break;
      }
    }
    if (fixChecksum && bytes.length >= FrameCodec.HEADER_BYTES) {
      long declared = ByteBuffer.wrap(bytes).getInt(8) & 0xffffffffL;
      int bodyEnd = (int) Math.min(bytes.length, FrameCodec.HEADER_BYTES + declared);
      CRC32C crc = new CRC32C();
      crc.update(bytes, 0, 12);
      crc.update(bytes, FrameCodec.HEADER_BYTES, bodyEnd - FrameCodec.HEADER_BYTES);
      ByteBuffer.wrap(bytes).putInt(12, (int) crc.getValue());
    }
    return bytes;
  }

  @Provide
  Arbitrary<Message> messages() {
    return Messages.any();
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  @Provide
  Arbitrary<Integer> frameTypes() {
    return Arbitraries.integers().between(0, 6);
  }
}
