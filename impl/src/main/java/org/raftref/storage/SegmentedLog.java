package org.raftref.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.LogEntry;

/**
 * The log on disk: segment files of bounded size, each a header and records back to back
 * (see {@link LogRecord}). Appends go to the last segment; a full one is fsynced before the next is
 * created, so only the last segment can ever hold data written after the last fsync. Truncation removes
 * whole segments from the end, then cuts the segment that keeps the new last entry.
 *
 * <p>Not thread-safe: {@link FileStorage} calls it only while holding its I/O lock.
 */
final class SegmentedLog implements Closeable {

  /** The largest segment file recovery reads: offsets inside a segment are ints. */
  static final long MAX_FILE_BYTES = 1L << 30;

  private final FileIo io;
  private final Path dir;
  private final int nodeId;
  private final long segmentBytes;
  /** Ascending by firstIndex and contiguous: each starts right after the one before it ends. */
  private final ArrayList<Segment> segments = new ArrayList<>();
  /** The open file of the last segment, if opened. */
  private FileIo.@Nullable DataFile active;
  /** True if bytes were written to {@link #active} since its last fsync. */
  private boolean activeDirty;

  private SegmentedLog(FileIo io, Path dir, int nodeId, long segmentBytes) {
    this.io = io;
    this.dir = dir;
    this.nodeId = nodeId;
    this.segmentBytes = segmentBytes;
  }

  long lastIndex() {
    return segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastIndex();
  }

  int segmentCount() {
    return segments.size();
  }

  /** Removes the entries after {@code keep}, durably, before anything else is written. */
  void truncateAfter(long keep) throws IOException {
    while (!segments.isEmpty() && last().firstIndex > keep) {
      Segment doomed = segments.remove(segments.size() - 1);
      closeActive();
      io.delete(doomed.path);
      // One directory fsync per deleted segment, last segment first: whatever a crash keeps is a prefix of
      // the segments, never a log with a hole in it.
      io.syncDirectory(dir);
    }
    if (segments.isEmpty() || last().lastIndex() <= keep) {
      return;
    }
    Segment segment = last();
    segment.truncateAfter(keep);
    FileIo.DataFile file = activeFile();
    file.truncate(segment.size);
    // Durable before new records are written where the removed ones were: otherwise a crash could keep
    // the new records and, behind them, old ones that look valid.
    file.sync();
    activeDirty = false;
  }

  /** Writes the staged records (entries {@code lastIndex() + 1} on), rolling to new segments as needed. */
  void append(StagedLog staged) throws IOException {
    if (staged.count() > 0 && staged.base() != lastIndex() + 1) {
      throw new IllegalStateException("staged records start at " + staged.base() + ", the log ends at " + lastIndex());
    }
    int i = 0;
    while (i < staged.count()) {
      int j = i;
      if (!segments.isEmpty()) {
        Segment segment = last();
        long end = segment.size;
        while (j < staged.count()) {
          int size = staged.recordStart(j + 1) - staged.recordStart(j);
          if ((segment.count() > 0 || j > i) && end + size > segmentBytes) {
            break;
          }
          end += size;
          j++;
        }
      }
      if (j == i) {
        roll(staged.base() + i);
        continue;
      }
      Segment segment = last();
      int from = staged.recordStart(i);
      activeFile().write(ByteBuffer.wrap(staged.bytes(), from, staged.recordStart(j) - from), segment.size);
      activeDirty = true;
      for (int k = i; k < j; k++) {
        segment.addRecord(staged.recordStart(k + 1) - staged.recordStart(k));
      }
      i = j;
    }
  }

  /** Makes every record written so far durable (one fsync, of the last segment). */
  void sync() throws IOException {
    FileIo.DataFile file = active;
    if (file != null && activeDirty) {
      file.sync();
      activeDirty = false;
    }
  }

  @Override
  public void close() {
    closeActive();
  }

  private void roll(long firstIndex) throws IOException {
    // The full segment is made durable before the next one exists: a crash can then only tear the last one.
    sync();
    closeActive();
    Segment segment = new Segment(dir, firstIndex);
    FileIo.DataFile file = io.create(segment.path);
    active = file;
    segments.add(segment);
    file.write(ByteBuffer.wrap(LogRecord.segmentHeader(nodeId, firstIndex)), 0);
    activeDirty = true;
    io.syncDirectory(dir);
  }

  private Segment last() {
    return segments.get(segments.size() - 1);
  }

  private FileIo.DataFile activeFile() throws IOException {
    FileIo.DataFile file = active;
    if (file == null) {
      file = io.open(last().path);
      active = file;
    }
    return file;
  }

  private void closeActive() {
    FileIo.DataFile file = active;
    active = null;
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // Closing cannot lose data that matters: everything acknowledged was fsynced before.
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Recovery

  /**
   * Scans every segment of {@code dir} in index order, appends their entries to {@code entries}, and returns
   * the log positioned to append after them. A torn tail of the last segment is cut off (and a last segment
   * whose header a crash interrupted is deleted), each noted in {@code repairs}; anything else that does
   * not verify is corruption.
   *
   * @param currentTerm the recovered currentTerm: no entry may have a higher term
   */
  static SegmentedLog recover(FileIo io, Path dir, int nodeId, long segmentBytes, int maxEntryBytes,
      List<String> names, long currentTerm, List<LogEntry> entries, List<String> repairs)
      throws IOException, CorruptionException {
    TreeMap<Long, String> byFirstIndex = new TreeMap<>();
    for (String name : names) {
      long first = Segment.parseFileName(name);
      if (first >= 1) {
        byFirstIndex.put(first, name);
      }
    }
    SegmentedLog log = new SegmentedLog(io, dir, nodeId, segmentBytes);
    Scan scan = new Scan(nodeId, maxEntryBytes, currentTerm, entries);
    int remaining = byFirstIndex.size();
    for (var segmentFile : byFirstIndex.entrySet()) {
      boolean isLast = --remaining == 0;
      Segment segment = new Segment(dir, segmentFile.getKey());
      long expected = log.lastIndex() + 1;
      if (segment.firstIndex != expected) {
        throw new CorruptionException(segment.path, 0, "the segment starts at index " + segment.firstIndex
            + " but the log before it ends at index " + (expected - 1) + " (a segment is missing or misnamed)");
      }
      byte[] bytes = readAll(io, segment.path);
      String torn = scan.segment(segment, bytes, isLast);
      if (torn == null) {
        log.segments.add(segment);
      } else if (scan.headerTorn) {
        io.delete(segment.path);
        io.syncDirectory(dir);
        repairs.add("deleted " + segment.path.getFileName() + " (" + bytes.length + " bytes): " + torn);
      } else {
        try (FileIo.DataFile file = io.open(segment.path)) {
          file.truncate(segment.size);
          file.sync();
        }
        log.segments.add(segment);
        repairs.add("cut " + (bytes.length - segment.size) + " bytes off the end of "
            + segment.path.getFileName() + " at offset " + segment.size + " (" + torn
            + "): written after the last fsync, so never acknowledged");
      }
    }
    return log;
  }

  private static byte[] readAll(FileIo io, Path path) throws IOException, CorruptionException {
    try (FileIo.DataFile file = io.open(path)) {
      long size = file.size();
      if (size > MAX_FILE_BYTES) {
        throw new CorruptionException(path, MAX_FILE_BYTES, "the segment is " + size
            + " bytes, more than any segment this storage writes (" + MAX_FILE_BYTES + ")");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) size);
      file.read(buffer, 0);
      return Arrays.copyOf(buffer.array(), buffer.position());
    }
  }

  /** Verifies segments one after the other, carrying the expected index and the previous term along. */
  private static final class Scan {

    private final int nodeId;
    private final int maxEntryBytes;
    private final long currentTerm;
    private final List<LogEntry> entries;
    private long previousTerm;
    /** Set by {@link #segment} when it returns a torn header: the file holds no record at all. */
    boolean headerTorn;

    Scan(int nodeId, int maxEntryBytes, long currentTerm, List<LogEntry> entries) {
      this.nodeId = nodeId;
      this.maxEntryBytes = maxEntryBytes;
      this.currentTerm = currentTerm;
      this.entries = entries;
    }

    /**
     * Reads {@code segment}'s records into it and the entry list. Returns null if the whole file verified,
     * or, for the last segment only, why its tail from {@code segment.size} on is torn (or, with
     * {@link #headerTorn}, why the whole file is); throws on corruption. See {@link #tornReason} for what
     * counts as torn.
     */
    @Nullable String segment(Segment segment, byte[] bytes, boolean isLast) throws CorruptionException {
      Path path = segment.path;
      headerTorn = false;
      byte[] header = LogRecord.segmentHeader(nodeId, segment.firstIndex);
      int common = Arrays.mismatch(bytes, 0, Math.min(bytes.length, header.length), header, 0,
          Math.min(bytes.length, header.length));
      if (common >= 0 || bytes.length < header.length) {
        int intact = common >= 0 ? common : bytes.length;
        // A crash while the header was written leaves a prefix of it, possibly followed by zeros. Such a
        // segment holds no entry, so deleting it loses nothing.
        if (isLast && allZero(bytes, intact)) {
          headerTorn = true;
          return "a segment whose header a crash cut short";
        }
        if (bytes.length < header.length) {
          throw new CorruptionException(path, intact, "the file is " + bytes.length
              + " bytes, shorter than a segment header, and not a prefix of one");
        }
        throw new CorruptionException(path, 0, headerProblem(bytes, segment.firstIndex));
      }
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int pos = header.length;
      while (pos < bytes.length) {
        String damage = LogRecord.damage(bytes, pos, maxEntryBytes);
        if (damage != null) {
          if (!isLast) {
            throw new CorruptionException(path, pos, damage + ", in a segment that is not the last one"
                + " (it was fsynced before the next one was created)");
          }
          int next = nextIntactRecord(bytes, pos + 1);
          if (next >= 0) {
            throw new CorruptionException(path, pos, damage + ", yet an intact record follows at offset "
                + next + ": the damage is not a torn tail");
          }
          String torn = tornReason(bytes, pos);
          if (torn == null) {
            throw new CorruptionException(path, pos, damage + ", and the file does not end the way a crash"
                + " during a write leaves it (cut inside the record, or zero-filled)");
          }
          return torn + ": " + damage;
        }
        int length = in.getInt(pos);
        int payload = pos + LogRecord.HEADER_BYTES;
        long index = segment.lastIndex() + 1;
        if (in.getLong(payload) != index) {
          throw new CorruptionException(path, pos, "the record holds index " + in.getLong(payload)
              + " where index " + index + " belongs");
        }
        long term = in.getLong(payload + 8);
        if (term < Math.max(previousTerm, 1) || term > currentTerm) {
          throw new CorruptionException(path, pos, "entry " + index + " has term " + term
              + "; terms must be positive, non-decreasing (previous " + previousTerm
              + ") and at most the hard state's currentTerm " + currentTerm);
        }
        byte[] command = Arrays.copyOfRange(bytes, payload + LogRecord.PAYLOAD_FIXED_BYTES, payload + length);
        entries.add(new LogEntry(term, command));
        previousTerm = term;
        segment.addRecord(LogRecord.sizeAt(bytes, pos));
        pos += LogRecord.sizeAt(bytes, pos);
      }
      return null;
    }

    /**
     * Why the damaged record at {@code pos} of the last segment is what a crash during a write leaves, or
     * null if it is not. A crash keeps some prefix of what was written after the last fsync, and on some
     * file systems the file's new size but not all of its data (zeros). So: the file ends inside the
     * record (its header, or a header whose two length copies agree and say the record is longer), or
     * the file's last byte is zero, which a file ending in a complete record never has (every record ends
     * with {@link LogRecord#END}, which one flipped bit cannot make zero).
     */
    private @Nullable String tornReason(byte[] bytes, int pos) {
      int available = bytes.length - pos;
      if (available < LogRecord.HEADER_BYTES) {
        return "the file ends inside a record header";
      }
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int length = in.getInt(pos);
      if (length == ~in.getInt(pos + 4) && length >= LogRecord.PAYLOAD_FIXED_BYTES
          && length <= LogRecord.PAYLOAD_FIXED_BYTES + maxEntryBytes
          && (long) LogRecord.HEADER_BYTES + length + LogRecord.TRAILER_BYTES > available) {
        return "the file ends inside a record";
      }
      if (bytes[bytes.length - 1] == 0) {
        return "the file ends in zeros";
      }
      return null;
    }

    /** The offset of the first intact record at {@code from} or after, or -1 if there is none. */
    private int nextIntactRecord(byte[] bytes, int from) {
      for (int pos = from; pos + LogRecord.HEADER_BYTES <= bytes.length; pos++) {
        if (LogRecord.damage(bytes, pos, maxEntryBytes) == null) {
          return pos;
        }
      }
      return -1;
    }

    private String headerProblem(byte[] bytes, long firstIndex) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.getInt(0) != LogRecord.SEGMENT_MAGIC) {
        return "not a log segment (bad magic number)";
      }
      if (in.getInt(4) != LogRecord.SEGMENT_VERSION) {
        return "segment format version " + in.getInt(4) + ", this storage reads " + LogRecord.SEGMENT_VERSION;
      }
      if (in.getInt(20) != LogRecord.crc(bytes, 0, 20)) {
        return "segment header CRC32C mismatch";
      }
      if (in.getInt(8) != nodeId) {
        return "the segment was written by node " + in.getInt(8) + ", not node " + nodeId;
      }
      return "the header says the segment starts at index " + in.getLong(12) + ", its name says " + firstIndex;
    }
  }

  private static boolean allZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
