package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link JsonBytes#number} writes what {@link Long#toString(long)} writes, at every length and boundary. */
class JsonBytesTest {

  private static String formatted(long value) throws IOException {
    JsonBytes json = new JsonBytes(4);
    json.number(value);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    json.drainTo(out);
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void numbersAreWrittenAsLongToStringWritesThem() throws IOException {
    long[] edges = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65_535, 99_999_999, 100_000_000,
        Integer.MAX_VALUE - 1L, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 9_999_999_999L, 10_000_000_000L,
        999_999_999_999_999_999L, Long.MAX_VALUE, -1, -10, Integer.MIN_VALUE, Long.MIN_VALUE};
    for (long value : edges) {
      assertEquals(Long.toString(value), formatted(value), "value " + value);
    }
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
      for (long value : new long[] {power - 1, power, power + 1, 10 * power - 1}) {
        assertEquals(Long.toString(value), formatted(value), "value " + value);
      }
    }
    SplittableRandom random = new SplittableRandom(2026);
    for (int k = 0; k < 100_000; k++) {
      long value = random.nextLong() >>> random.nextInt(64);
      assertEquals(Long.toString(value), formatted(value), "value " + value + " (seed 2026, draw " + k + ")");
    }
  }

  @Test
  void theBufferGrowsPastItsInitialCapacity() throws IOException {
    JsonBytes json = new JsonBytes(1);
    StringBuilder expected = new StringBuilder();
    for (int k = 0; k < 1_000; k++) {
      json.number(k).raw(',');
      expected.append(k).append(',');
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    json.drainTo(out);
    assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII));
    assertEquals(0, json.length(), "drained");
  }
}
