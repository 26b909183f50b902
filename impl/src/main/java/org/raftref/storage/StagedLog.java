package org.raftref.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.raftref.message.LogEntry;

/**
 * Log records encoded and waiting for the next sync: entries {@code base() .. lastIndex()}, back to back in
 * one byte array, so that a sync writes them with one write call per segment. Not thread-safe: owned by
 * {@link FileStorage} under its monitor while staging, and by the syncing thread once handed over.
 */
final class StagedLog {

  private byte[] bytes = new byte[1 << 16];
  private int length;
  /** starts[i] is where the record of index base + i begins; starts[count] == length. */
  private int[] starts = new int[257];
  private int count;
  private long base = 1;

  void reset(long firstIndex) {
    base = firstIndex;
    length = 0;
    count = 0;
  }

  long base() {
    return base;
  }

  int count() {
    return count;
  }

  long lastIndex() {
    return base + count - 1;
  }

  byte[] bytes() {
    return bytes;
  }

  /** Byte offset of the record of {@code base() + i}; {@code recordStart(count())} is the end. */
  int recordStart(int i) {
    return starts[i];
  }

  /** Drops the staged records at {@code index} and after; base() ≤ index. */
  void trimFrom(long index) {
    int keep = (int) Math.min(count, index - base);
    count = keep;
    length = starts[keep];
  }

  /** Encodes {@code entry} as the record of {@code lastIndex() + 1}. */
  void add(LogEntry entry) {
    int size = LogRecord.size(entry);
    if (length + size > bytes.length) {
      long wanted = Math.max((long) bytes.length * 2, (long) length + size);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("more than 2 GiB staged without a sync");
      }
      bytes = Arrays.copyOf(bytes, (int) wanted);
    }
    if (count + 1 == starts.length) {
      starts = Arrays.copyOf(starts, starts.length * 2);
    }
    ByteBuffer out = ByteBuffer.wrap(bytes, length, size);
    LogRecord.encode(base + count, entry, out);
    length += size;
    count++;
    starts[count] = length;
  }
}
