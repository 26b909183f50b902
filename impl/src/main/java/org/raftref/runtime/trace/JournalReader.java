package org.raftref.runtime.trace;

import static org.raftref.runtime.trace.JournalFormat.RECORD_HEADER;
import static org.raftref.runtime.trace.JournalFormat.intNumber;
import static org.raftref.runtime.trace.JournalFormat.number;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;

/**
 * Reads a journal ({@link JournalFormat}) that no process is writing any more, and replays its events into a
 * {@link TraceSink}: the same calls, with the same states and messages as far as a trace records them, that
 * the node's core made while it ran. The records end at the first zero length: a killed writer leaves whole
 * records only (see {@link JournalWriter}). If the journal has a continuation ({@link TraceFiles#continuation}),
 * its records follow, from its first byte.
 *
 * <p>Errors name the file, the record and its offset: a journal that is not one, a record that does not
 * decode, a journal that a running process still holds.
 */
final class JournalReader implements AutoCloseable {

  /** Bytes mapped at a time for reading. */
  private static final long WINDOW_BYTES = 256L << 20;
  private static final TraceAction[] ACTIONS = TraceAction.values();
  /** The magic of the first format, which numbers did not shrink; refused by name. */
  private static final byte[] OLD_MAGIC = "RRJRNL01".getBytes(StandardCharsets.US_ASCII);

  private final Part first;
  private final FileLock lock;
  private final TraceHeader header;
  private final long recordsStart;
  private final DecodedState state;
  private final byte[][] rememberedValues = new byte[JournalFormat.VALUE_SLOTS][];
  private final long[] rememberedIndexes = new long[JournalFormat.VALUE_SLOTS];

  private JournalReader(Path file, FileChannel channel, FileLock lock, TraceHeader header, long recordsStart)
      throws IOException {
    this.first = new Part(file, channel);
    this.lock = lock;
    this.header = header;
    this.recordsStart = recordsStart;
    this.state = new DecodedState(header.members().stream().mapToInt(Integer::intValue).toArray());
  }

  /** {@code length} bytes from {@code offset}, read into a little-endian buffer. */
  private static ByteBuffer read(Path file, FileChannel channel, long offset, long length) throws IOException {
    if (length < 0 || offset + length > channel.size()) {
      throw new IOException(file + ": its header is cut off (" + channel.size() + " bytes)");
    }
    ByteBuffer in = ByteBuffer.allocate((int) length).order(JournalFormat.ORDER);
    while (in.hasRemaining()) {
      if (channel.read(in, offset + in.position()) < 0) {
        throw new IOException(file + ": its header is cut off");
      }
    }
    return in.flip();
  }

  /** A reader of {@code file}, once its header is read. */
  private static JournalReader withHeader(Path file, FileChannel channel, FileLock lock) throws IOException {
    int at = JournalFormat.MAGIC.length;
    byte[] magic = new byte[at];
    read(file, channel, 0, at).get(magic);
    if (Arrays.equals(magic, OLD_MAGIC)) {
      throw new IOException(file + ": a trace journal of an earlier format (" + new String(OLD_MAGIC,
          StandardCharsets.US_ASCII) + "); convert it with the version of Raft Reference that wrote it");
    }
    if (!Arrays.equals(magic, JournalFormat.MAGIC)) {
      throw new IOException(file + ": not a trace journal (it does not start with "
          + new String(JournalFormat.MAGIC, StandardCharsets.US_ASCII) + ")");
    }
    int count = read(file, channel, at, 4).getInt();
    if (count < 1 || count > 4096) {
      throw new IOException(file + ": the header's member count " + count + " is not between 1 and 4096");
    }
    ByteBuffer in = read(file, channel, at + 4, 4L * count + 8);
    List<Integer> members = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      members.add(in.getInt());
    }
    int maxEntriesPerAppend = in.getInt();
    int originLength = in.getInt();
    long originAt = at + 4 + 4L * count + 8;
    byte[] origin = new byte[Math.max(0, originLength)];
    read(file, channel, originAt, originLength).get(origin);
    try {
      TraceHeader header =
          new TraceHeader(members, maxEntriesPerAppend, new String(origin, StandardCharsets.UTF_8));
      return new JournalReader(file, channel, lock, header, JournalFormat.align4(originAt + originLength));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": its header is not a valid trace header: " + e.getMessage(), e);
    }
  }

  /**
   * Opens a journal to read.
   *
   * @throws IOException if it cannot be read, is not a journal, or a running process still writes it
   */
  static JournalReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      FileLock lock;
      try {
        lock = channel.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        lock = null; // this very JVM writes it
      }
      if (lock == null) {
        throw new IOException(file + " is still being written by a running server (it holds the file's lock); "
            + "stop the server first");
      }
      return withHeader(file, channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  TraceHeader header() {
    return header;
  }

  /**
   * Replays every whole record: each event into {@code into}, its time into {@code times}, in order.
   *
   * @return the number of events
   * @throws IOException if a record does not decode, or the continuation cannot be read
   */
  long replay(TraceSink into, LongConsumer times) throws IOException {
    long[] eventsAndTime = new long[2];
    forEachRecord((part, offset, length) -> {
      long events = ++eventsAndTime[0];
      ByteBuffer in = part.map(offset + RECORD_HEADER, length);
      try {
        eventsAndTime[1] += number(in);
        decodeInto(in, into);
        if (in.hasRemaining()) {
          throw new IOException(in.remaining() + " bytes are left over after the event");
        }
        times.accept(eventsAndTime[1]);
      } catch (IOException | BufferUnderflowException | IllegalArgumentException | IllegalStateException e) {
        throw new IOException(part.file + ": record " + events + " (at byte " + offset + ") does not decode: " + e,
            e);
      }
    });
    return eventsAndTime[0];
  }

  /** The time of the last whole record; 0 if there is none. Reads only the records' lengths and times. */
  long lastTime() throws IOException {
    long[] last = new long[1];
    forEachRecord((part, offset, length) -> {
      try {
        last[0] += number(part.map(offset + RECORD_HEADER, length));
      } catch (IOException | BufferUnderflowException e) {
        throw new IOException(part.file + ": the record at byte " + offset + " does not start with a time: " + e,
            e);
      }
    });
    return last[0];
  }

  /** What is done with each whole record: the one at {@code offset} in a part, with {@code length} bytes of payload. */
  private interface RecordVisitor {
    void visit(Part part, long offset, int length) throws IOException;
  }

  /** Visits every whole record in order: the journal's file's, then its continuation's, if it has one. */
  private void forEachRecord(RecordVisitor visitor) throws IOException {
    try (Part continuation = continuation()) {
      for (@Nullable Part part = first; part != null; part = part == first ? continuation : null) {
        long offset = part == first ? recordsStart : 0;
        for (int length = part.lengthAt(offset); length > 0; length = part.lengthAt(offset)) {
          visitor.visit(part, offset, length);
          offset += JournalFormat.align4(RECORD_HEADER + length);
        }
      }
    }
  }

  /** The journal's continuation on the disk, opened; null if it has none. */
  private @Nullable Part continuation() throws IOException {
    Path file = TraceFiles.continuation(first.file);
    return Files.exists(file) ? new Part(file, FileChannel.open(file, StandardOpenOption.READ)) : null;
  }

  private void decodeInto(ByteBuffer in, TraceSink into) throws IOException {
    int ordinal = in.get();
    if (ordinal < 0 || ordinal >= ACTIONS.length) {
      throw new IOException("no action has number " + ordinal);
    }
    TraceAction action = ACTIONS[ordinal];
    if (!action.isNodeStep()) {
      int node = intNumber(in, "the node");
      Message message = in.get() != 0 ? message(in) : null;
      into.environmentStep(action, node, message);
      return;
    }
    state.read(in);
    byte flags = in.get();
    Message received = (flags & JournalFormat.RECEIVED) != 0 ? message(in) : null;
    Message sent = (flags & JournalFormat.SENT) != 0 ? message(in) : null;
    if (action == TraceAction.ClientRequest) {
      long index = state.lastLogIndex();
      state.appended(new LogEntry(state.logTerm(index), value(in, index)));
    }
    into.nodeStep(action, state, received, sent);
  }

  private Message message(ByteBuffer in) throws IOException {
    byte type = in.get();
    int from = intNumber(in, "the sender");
    int to = intNumber(in, "the receiver");
    long term = number(in);
    switch (type) {
      case JournalFormat.REQUEST_VOTE_REQUEST:
        return new RequestVoteRequest(from, to, term, number(in), number(in));
      case JournalFormat.REQUEST_VOTE_RESPONSE:
        return new RequestVoteResponse(from, to, term, in.get() != 0);
      case JournalFormat.APPEND_ENTRIES_REQUEST: {
        long prevLogIndex = number(in);
        long prevLogTerm = number(in);
        long leaderCommit = number(in);
        int count = intNumber(in, "the entry count");
        if (count < 0 || count > in.remaining() / 2) { // an entry takes at least a term and a reference
          throw new IOException("an AppendEntriesRequest cannot carry " + count + " entries in what is left");
        }
        List<LogEntry> entries = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
          long entryTerm = number(in);
          entries.add(new LogEntry(entryTerm, value(in, prevLogIndex + 1 + k)));
        }
        return new AppendEntriesRequest(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit);
      }
      case JournalFormat.APPEND_ENTRIES_RESPONSE:
        return new AppendEntriesResponse(from, to, term, in.get() != 0, number(in), number(in), number(in));
      default:
        throw new IOException("no message type has number " + type);
    }
  }

  /** A command's digest (8 bytes; none for the empty command), written out or the one last written for the index. */
  private byte[] value(ByteBuffer in, long index) throws IOException {
    int slot = JournalFormat.slot(index);
    long length = number(in);
    if (length == JournalFormat.SAME_VALUE) {
      byte[] remembered = rememberedValues[slot];
      if (remembered == null || rememberedIndexes[slot] != index) {
        throw new IOException("the command at index " + index + " refers to an earlier one that was not written");
      }
      return remembered;
    }
    if (length != 0 && length != 8) {
      throw new IOException("a value has 0 bytes (the empty command) or 8 (a digest), this one " + length);
    }
    byte[] command = new byte[(int) length];
    in.get(command);
    rememberedValues[slot] = command;
    rememberedIndexes[slot] = index;
    return command;
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      first.close();
    }
  }

  /** One file of the journal, mapped a window at a time. */
  private static final class Part implements AutoCloseable {

    final Path file;
    private final FileChannel channel;
    private final long size;
    private ByteBuffer window = ByteBuffer.allocate(0);
    private long windowStart;

    Part(Path file, FileChannel channel) throws IOException {
      this.file = file;
      this.channel = channel;
      this.size = channel.size();
    }

    /** The length of the record at {@code offset}; 0 at the end. */
    int lengthAt(long offset) throws IOException {
      if (offset + RECORD_HEADER > size) {
        return 0;
      }
      int length = map(offset, 4).getInt();
      if (length < 0 || offset + RECORD_HEADER + length > size) {
        throw new IOException(file + ": the record at byte " + offset + " has length " + length
            + ", which does not fit the file of " + size + " bytes");
      }
      return length;
    }

    /** {@code length} bytes of the file from {@code offset}, as a little-endian buffer positioned at them. */
    ByteBuffer map(long offset, long length) throws IOException {
      if (offset < windowStart || offset + length > windowStart + window.capacity()) {
        long mapped = Math.min(Math.max(length, WINDOW_BYTES), size - offset);
        if (mapped < length || mapped > Integer.MAX_VALUE) {
          throw new IOException(file + ": " + length + " bytes at byte " + offset + " are beyond the file's "
              + size + " bytes");
        }
        window = channel.map(FileChannel.MapMode.READ_ONLY, offset, mapped).order(JournalFormat.ORDER);
        windowStart = offset;
      }
      return window.slice((int) (offset - windowStart), (int) length).order(JournalFormat.ORDER);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
