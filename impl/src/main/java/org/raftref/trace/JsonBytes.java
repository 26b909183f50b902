package org.raftref.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A growable byte buffer that JSON is appended to, token by token, for {@link NdjsonSink}. The sink knows its
 * schema, so it writes keys and punctuation as pre-encoded fragments ({@link #ascii}) instead of asking a
 * general JSON generator to track where it is; this is what makes an event cheap (see {@code
 * TraceSinkBenchmark} in docs/performance.md).
 *
 * <p>Output is ASCII: strings escape {@code "}, {@code \}, control characters (as the short escapes of b, t,
 * n, f and r, or as a backslash, {@code u} and four hex digits) and every non-ASCII character (the same way),
 * which is valid JSON and reads back as the same string. The runtime's trace also writes its clock file's
 * lines (decimal numbers) with it. Not thread-safe.
 */
public final class JsonBytes {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;

  public JsonBytes(int initialCapacity) {
    this.bytes = new byte[initialCapacity];
  }

  /** The bytes of {@code text}, which must be ASCII and need no escaping: a key, or a key with punctuation. */
  static byte[] ascii(String text) {
    for (int k = 0; k < text.length(); k++) {
      if (text.charAt(k) >= 0x80) {
        throw new IllegalArgumentException("not ASCII: " + text);
      }
    }
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  public int length() {
    return length;
  }

  /** Appends pre-encoded bytes. */
  JsonBytes raw(byte[] fragment) {
    ensure(fragment.length);
    System.arraycopy(fragment, 0, bytes, length, fragment.length);
    length += fragment.length;
    return this;
  }

  public JsonBytes raw(char asciiChar) {
    ensure(1);
    bytes[length++] = (byte) asciiChar;
    return this;
  }

  /** "00" to "99": numbers are formatted two digits per division. */
  private static final byte[] DIGIT_PAIRS = new byte[200];

  static {
    for (int k = 0; k < 100; k++) {
      DIGIT_PAIRS[2 * k] = (byte) ('0' + k / 10);
      DIGIT_PAIRS[2 * k + 1] = (byte) ('0' + k % 10);
    }
  }

  /** Appends {@code value} in decimal. */
  public JsonBytes number(long value) {
    if (value < 0) {
      return raw(ascii(Long.toString(value))); // rare: no trace value is negative; kept exact anyway
    }
    int digits = digits(value);
    ensure(digits);
    int at = length + digits;
    long rest = value;
    while (rest > Integer.MAX_VALUE) {
      bytes[--at] = (byte) ('0' + (int) (rest % 10));
      rest /= 10;
    }
    int small = (int) rest; // int division is the cheaper one, and what trace values almost always fit in
    while (small >= 100) {
      int pair = small % 100;
      small /= 100;
      bytes[--at] = DIGIT_PAIRS[2 * pair + 1];
      bytes[--at] = DIGIT_PAIRS[2 * pair];
    }
    if (small >= 10) {
      bytes[--at] = DIGIT_PAIRS[2 * small + 1];
      bytes[--at] = DIGIT_PAIRS[2 * small];
    } else {
      bytes[--at] = (byte) ('0' + small);
    }
    length += digits;
    return this;
  }

  private static int digits(long value) {
    int digits = 1;
    for (long limit = 10; digits < 19 && value >= limit; limit *= 10) {
      digits++;
    }
    return digits;
  }

  JsonBytes bool(boolean value) {
    return raw(value ? TRUE : FALSE);
  }

  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  /** Appends {@code text} as a JSON string, quotes included. */
  JsonBytes string(String text) {
    int n = text.length();
    ensure(n + 2);
    bytes[length++] = '"';
    for (int k = 0; k < n; k++) {
      char c = text.charAt(k);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        bytes[length++] = (byte) c; // room: ensure(n + 2) above, and escape() makes its own
      } else {
        escape(c);
        ensure(n - k + 1);
      }
    }
    bytes[length++] = '"';
    return this;
  }

  private void escape(char c) {
    char shortForm = switch (c) {
      case '"' -> '"';
      case '\\' -> '\\';
      case '\b' -> 'b';
      case '\t' -> 't';
      case '\n' -> 'n';
      case '\f' -> 'f';
      case '\r' -> 'r';
      default -> 0;
    };
    if (shortForm != 0) {
      ensure(2);
      bytes[length++] = '\\';
      bytes[length++] = (byte) shortForm;
    } else {
      ensure(6);
      bytes[length++] = '\\';
      bytes[length++] = 'u';
      bytes[length++] = HEX[(c >> 12) & 0xf];
      bytes[length++] = HEX[(c >> 8) & 0xf];
      bytes[length++] = HEX[(c >> 4) & 0xf];
      bytes[length++] = HEX[c & 0xf];
    }
  }

  /** Writes everything appended to {@code out} and empties the buffer (also when the write fails). */
  public void drainTo(OutputStream out) throws IOException {
    int n = length;
    length = 0;
    out.write(bytes, 0, n);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + more));
    }
  }
}
