package org.raftref.storage;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * One segment file of the log: its name, the index of its first entry, its size, and where each of its
 * records starts. Not thread-safe (owned by {@link SegmentedLog}).
 */
final class Segment {

  private static final String PREFIX = "log-";
  private static final String SUFFIX = ".seg";

  final long firstIndex;
  final Path path;
  /** Bytes in the file: the header and every record. */
  long size;
  /** offsets[i] is where the record of firstIndex + i starts. */
  private int[] offsets = new int[64];
  private int count;

  Segment(Path dir, long firstIndex) {
    this.firstIndex = firstIndex;
    this.path = dir.resolve(fileName(firstIndex));
    this.size = LogRecord.SEGMENT_HEADER_BYTES;
  }

  /** Segment files are named by their first index, zero-padded so that names sort like indexes. */
  static String fileName(long firstIndex) {
    return String.format("%s%020d%s", PREFIX, firstIndex, SUFFIX);
  }

  /** The first index a segment file name stands for, or -1 if the name is not a segment's. */
  static long parseFileName(String name) {
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || name.length() != PREFIX.length() + 20 + SUFFIX.length()) {
      return -1;
    }
    String digits = name.substring(PREFIX.length(), PREFIX.length() + 20);
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    try {
      long index = Long.parseLong(digits);
      return index >= 1 ? index : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  int count() {
    return count;
  }

  /** The index of the last record, firstIndex - 1 if there is none. */
  long lastIndex() {
    return firstIndex + count - 1;
  }

  int offsetOf(long index) {
    return offsets[(int) (index - firstIndex)];
  }

  /** Records that the next record starts at the current end of the file and is {@code bytes} long. */
  void addRecord(int bytes) {
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    offsets[count++] = (int) size;
    size += bytes;
  }

  /** Forgets the records after {@code keep} (firstIndex - 1 ≤ keep ≤ lastIndex). */
  void truncateAfter(long keep) {
    int kept = (int) (keep - firstIndex + 1);
    if (kept < count) {
      size = offsets[kept];
      count = kept;
    }
  }
}
