package org.raftref.runtime.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The record {@link JournalWriter} encodes, before it is copied into the journal: a growable byte array
 * written in {@link JournalFormat#ORDER} through array views, which the JIT turns into plain stores. A heap
 * {@code ByteBuffer} did the same with a position, a limit and their checks on every put; in a traced
 * cluster's leader those showed among the recording's hottest frames.
 *
 * <p>The writer makes {@link #room} before it puts; a put beyond the array is a bug, and the array's own
 * bounds check throws. Not thread-safe.
 */
final class RecordBuffer {

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, JournalFormat.ORDER);
  /** The largest record: a little below the largest array, and well beyond any real event. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

  private byte[] bytes = new byte[1024];
  private int position;

  /** Starts a new record. */
  void clear() {
    position = 0;
  }

  /** The bytes encoded so far. */
  int position() {
    return position;
  }

  /** The array holding the record, from 0 to {@link #position()}. */
  byte[] array() {
    return bytes;
  }

  /**
   * Makes room for {@code more} bytes after the position.
   *
   * @throws IllegalArgumentException if the record would exceed the largest array
   */
  void room(long more) {
    long needed = position + more;
    if (needed > bytes.length) {
      if (needed > MAX_BYTES) {
        throw new IllegalArgumentException("a trace event of " + needed + " bytes is too large to record");
      }
      bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_BYTES, Math.max(needed, 2L * bytes.length)));
    }
  }

  RecordBuffer put(byte value) {
    bytes[position++] = value;
    return this;
  }

  /**
   * Puts {@code value} as a journal number ({@link JournalFormat}): zigzag, then seven bits a byte, low bits
   * first, the high bit set on every byte but the last. Small numbers of either sign take one byte; the
   * largest take {@link JournalFormat#MAX_NUMBER_BYTES}.
   */
  RecordBuffer putNumber(long value) {
    long rest = (value << 1) ^ (value >> 63);
    while ((rest & ~0x7FL) != 0) {
      bytes[position++] = (byte) (rest | 0x80);
      rest >>>= 7;
    }
    bytes[position++] = (byte) rest;
    return this;
  }

  RecordBuffer putLong(long value) {
    LONG.set(bytes, position, value);
    position += 8;
    return this;
  }

  RecordBuffer put(byte[] values) {
    System.arraycopy(values, 0, bytes, position, values.length);
    position += values.length;
    return this;
  }
}
