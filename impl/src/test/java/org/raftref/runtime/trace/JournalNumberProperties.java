package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The journal's numbers ({@link JournalFormat}): every long survives {@link RecordBuffer#putNumber} and
 * {@link JournalFormat#number}, small ones of either sign take one byte, and a number that runs over ten
 * bytes, over 64 bits, or off the record's end is refused. jqwik prints the seed of a failing try; replay it
 * with {@code @Property(seed = "...")}.
 */
class JournalNumberProperties {

  private static ByteBuffer encoded(long... values) {
    RecordBuffer out = new RecordBuffer();
    out.room((long) JournalFormat.MAX_NUMBER_BYTES * values.length);
    for (long value : values) {
      out.putNumber(value);
    }
    return ByteBuffer.wrap(Arrays.copyOf(out.array(), out.position()));
  }

  /** The bytes a number takes: seven bits of its zigzag form a byte. */
  private static int expectedBytes(long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    int significantBits = 64 - Long.numberOfLeadingZeros(zigzag);
    return Math.max(1, (significantBits + 6) / 7);
  }

  @Property(tries = 3000, seed = "1978")
  void everyLongSurvivesInAsFewBytesAsItsBitsNeed(@ForAll long a, @ForAll long b) throws IOException {
    ByteBuffer in = encoded(a, b);
    assertEquals(expectedBytes(a) + expectedBytes(b), in.remaining());
    assertEquals(a, JournalFormat.number(in));
    assertEquals(b, JournalFormat.number(in));
    assertEquals(0, in.remaining());
  }

  @Test
  void theSizesAtTheEdges() throws IOException {
    long[][] sizes = {{0, 1}, {-1, 1}, {63, 1}, {-64, 1}, {64, 2}, {-65, 2}, {8191, 2}, {8192, 3},
        {Integer.MAX_VALUE, 5}, {Integer.MIN_VALUE, 5}, {Long.MAX_VALUE, 10}, {Long.MIN_VALUE, 10}};
    for (long[] size : sizes) {
      ByteBuffer in = encoded(size[0]);
      assertEquals(size[1], in.remaining(), "bytes of " + size[0]);
      assertEquals(size[0], JournalFormat.number(in));
    }
  }

  @Test
  void refusesNumbersThatAreTooLongOrCutOff() {
    byte[] elevenBytes = new byte[11];
    Arrays.fill(elevenBytes, (byte) 0x80);
    IOException e = assertThrows(IOException.class, () -> JournalFormat.number(ByteBuffer.wrap(elevenBytes)));
    assertEquals("a number runs over 10 bytes or 64 bits", e.getMessage());

    byte[] sixtyFiveBits = {-1, -1, -1, -1, -1, -1, -1, -1, -1, 3};
    e = assertThrows(IOException.class, () -> JournalFormat.number(ByteBuffer.wrap(sixtyFiveBits)));
    assertEquals("a number runs over 10 bytes or 64 bits", e.getMessage());

    assertThrows(BufferUnderflowException.class, () -> JournalFormat.number(ByteBuffer.wrap(new byte[] {-1})));

    ByteBuffer notAnInt = encoded(1L << 40);
    e = assertThrows(IOException.class, () -> JournalFormat.intNumber(notAnInt, "the entry count"));
    assertEquals("the entry count 1099511627776 is not an int", e.getMessage());
  }
}
