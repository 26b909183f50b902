package org.raftref.runtime.trace;

import static org.raftref.runtime.trace.JournalFormat.RECORD_HEADER;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.ValueDigest;

/**
 * Appends trace events to a journal ({@link JournalFormat}) through a memory mapping of the file. Recording
 * an event encodes it into a small buffer and copies that into the mapping: no system call, no JSON, and of
 * each command only its 8-byte digest. What is stored is in the kernel's page cache at once, so a process
 * killed right after a step leaves that step in the file, which is what the driver's flush before sending
 * asked of the ndjson trace, at no cost per round.
 *
 * <p>A {@link PageToucher} thread faults in the pages ahead of the records, so that the driver does not.
 *
 * <p>The file may be in memory ({@link JournalMemory}): then the journal's path is a symbolic link to it,
 * and once the next window would take the file past its limit, the records go on in the continuation on the
 * disk ({@link TraceFiles#continuation}) from its first byte. The file in memory then ends with a zero
 * length, as any journal does, and the reader goes on in the continuation.
 *
 * <p>The writer holds an exclusive lock on the file while it is open, so that {@link JournalConverter} can
 * tell a journal still being written from one a killed process left.
 *
 * <p>Write errors: as for {@code NdjsonSink}, an error is never thrown into a step of the core. The first one
 * (a failed mapping; an {@link InternalError} from a store into a mapped page the file system could not
 * back, such as a full disk) is remembered, nothing more is written, and {@link #checkWritten()} and
 * {@link #close()} throw it. Driver bugs throw at once.
 *
 * <p>Not thread-safe: one driver thread records into it.
 */
final class JournalWriter implements AutoCloseable {

  /** Bytes mapped at a time; the file grows by this much, sparsely, as the trace fills it. */
  private static final int WINDOW_BYTES = 32 << 20;

  /** Stores a record's length after its payload, so that no store of the payload can move after it. */
  private static final VarHandle LENGTH =
      MethodHandles.byteBufferViewVarHandle(int[].class, JournalFormat.ORDER);

  private final Path file;
  /** The first file: the journal itself, or the file in memory it links to. Holds the lock. */
  private final FileChannel channel;
  private final FileLock lock;
  /** Bytes the first file may take while it is in memory; 0 once the records go to the disk. */
  private long memoryLimit;
  /** The file the current window maps: {@link #channel}, or the continuation once it is opened. */
  private FileChannel mapped;
  /** The first file's bytes, once the records went on in the continuation; else 0. */
  private long firstFileBytes;
  private final int[] members;
  private final int windowBytes;
  private final StateRecorder state;
  private final PageToucher toucher;
  private final byte[][] rememberedValues = new byte[JournalFormat.VALUE_SLOTS][];
  private final long[] rememberedIndexes = new long[JournalFormat.VALUE_SLOTS];
  private final KnownDigests known = new KnownDigests();

  /** The event being encoded. */
  private final RecordBuffer record = new RecordBuffer();
  /** The mapped part of the file that the next records go to, starting at file offset {@link #windowStart}. */
  private MappedByteBuffer window;
  private long windowStart;
  /** Where in {@link #window} the next record goes. */
  private int position;
  private long events;
  /** The time of the last record: the next records the change from it. */
  private long lastTime;
  private @Nullable Throwable failure;
  private boolean closed;

  private JournalWriter(Path file, FileChannel channel, FileLock lock, TraceHeader header, int windowBytes,
      long memoryLimit, MappedByteBuffer window) {
    this.file = file;
    this.windowBytes = windowBytes;
    this.channel = channel;
    this.mapped = channel;
    this.lock = lock;
    this.memoryLimit = memoryLimit;
    this.members = header.members().stream().mapToInt(Integer::intValue).toArray();
    this.state = new StateRecorder(members);
    this.window = window;
    this.toucher = new PageToucher(window, 0);
  }

  /**
   * A new journal at {@code file} (replacing any file there), starting with {@code header}, on the disk.
   *
   * @throws IOException if the file cannot be created, locked or mapped
   */
  static JournalWriter create(Path file, TraceHeader header) throws IOException {
    return create(file, header, WINDOW_BYTES, JournalMemory.Placement.DISK);
  }

  /** As {@link #create(Path, TraceHeader)}, in memory if {@code placement} says so. */
  static JournalWriter create(Path file, TraceHeader header, JournalMemory.Placement placement) throws IOException {
    return create(file, header, WINDOW_BYTES, placement);
  }

  /** As {@link #create(Path, TraceHeader)}, mapping {@code windowBytes} at a time (tests cross windows). */
  static JournalWriter create(Path file, TraceHeader header, int windowBytes) throws IOException {
    return create(file, header, windowBytes, JournalMemory.Placement.DISK);
  }

  /**
   * A new journal at {@code file}, mapping {@code windowBytes} at a time, its start in a new file in
   * {@code placement}'s memory directory (linked from {@code file}) if it names one.
   *
   * @throws IOException if a file or the link cannot be created, or the file locked or mapped
   */
  static JournalWriter create(Path file, TraceHeader header, int windowBytes, JournalMemory.Placement placement)
      throws IOException {
    if (windowBytes < 4096) {
      throw new IllegalArgumentException("windowBytes must be at least 4096, was " + windowBytes);
    }
    Path memoryDir = placement.memoryDir();
    if (memoryDir != null && placement.limitBytes() < JournalMemory.MIN_LIMIT_BYTES) {
      throw new IllegalArgumentException("a journal's memory must hold a page, was " + placement.limitBytes());
    }
    Files.deleteIfExists(file);
    Files.deleteIfExists(TraceFiles.continuation(file));
    Path first = memoryDir != null ? linkedFileIn(memoryDir, file) : file;
    FileChannel channel;
    try {
      channel = FileChannel.open(first, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      discardMemory(file, first, e);
      throw e;
    }
    try {
      FileLock lock = channel.lock();
      long memoryLimit = memoryDir != null ? placement.limitBytes() : 0;
      long firstWindow = memoryDir != null ? Math.min(windowBytes, memoryLimit) : windowBytes;
      MappedByteBuffer window = channel.map(FileChannel.MapMode.READ_WRITE, 0, firstWindow);
      window.order(JournalFormat.ORDER);
      JournalWriter writer = new JournalWriter(file, channel, lock, header, windowBytes, memoryLimit, window);
      writer.writeHeader(header);
      writer.toucher.wrote(writer.position);
      writer.toucher.start("raftref-journal-pages " + file.getFileName());
      return writer;
    } catch (IOException | RuntimeException e) {
      channel.close();
      discardMemory(file, first, e);
      throw e;
    }
  }

  /** A new, empty file in {@code memoryDir}, linked from {@code file}: the journal's first file. */
  private static Path linkedFileIn(Path memoryDir, Path file) throws IOException {
    Path first = Files.createTempFile(memoryDir, "raftref-" + file.getFileName() + "-", "").toAbsolutePath();
    try {
      Files.createSymbolicLink(file, first);
    } catch (IOException | UnsupportedOperationException e) {
      Files.delete(first);
      throw new IOException("cannot link " + file + " to the journal in memory " + first + ": " + e, e);
    }
    return first;
  }

  /** After start failed with {@code cause}: the link and the file in memory go, so that no memory stays taken. */
  private static void discardMemory(Path file, Path first, Exception cause) {
    if (!first.equals(file)) {
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(first);
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }

  private void writeHeader(TraceHeader header) {
    byte[] origin = header.origin().getBytes(StandardCharsets.UTF_8);
    if (JournalFormat.MAGIC.length + 12L + 4L * members.length + origin.length > window.capacity()) {
      throw new IllegalArgumentException("a trace header with an origin of " + origin.length + " bytes is too long");
    }
    window.put(0, JournalFormat.MAGIC);
    int at = JournalFormat.MAGIC.length;
    window.putInt(at, members.length);
    at += 4;
    for (int member : members) {
      window.putInt(at, member);
      at += 4;
    }
    window.putInt(at, header.maxEntriesPerAppend());
    window.putInt(at + 4, origin.length);
    window.put(at + 8, origin);
    position = (int) JournalFormat.align4(at + 8L + origin.length);
  }

  /** Records node step {@code action}, as {@code TraceSink.nodeStep} describes it, at Lamport time {@code time}. */
  void nodeStep(long time, TraceAction action, NodeStateView post, @Nullable Message received,
      @Nullable Message sent) {
    checkOpen(action);
    action.checkNodeStep();
    if (failure != null) {
      return;
    }
    record.clear();
    putTime(time);
    record.put((byte) action.ordinal());
    putState(post);
    record.room(1);
    record.put((byte) ((received != null ? JournalFormat.RECEIVED : 0) | (sent != null ? JournalFormat.SENT : 0)));
    if (received != null) {
      putMessage(received);
    }
    if (sent != null) {
      putMessage(sent);
    }
    if (action == TraceAction.ClientRequest) {
      long index = post.lastLogIndex();
      putValue(post.logEntry(index).command(), index);
    }
    append();
  }

  /** Records environment step {@code action}, as {@code TraceSink.environmentStep} describes it. */
  void environmentStep(long time, TraceAction action, int node, @Nullable Message message) {
    checkOpen(action);
    action.checkEnvironmentStep(node, message);
    if (failure != null) {
      return;
    }
    record.clear();
    putTime(time);
    record.put((byte) action.ordinal()).putNumber(node).put((byte) (message != null ? 1 : 0));
    if (message != null) {
      putMessage(message);
    }
    append();
  }

  /** Starts a record with its time; makes room for the action too, and an environment step's node and flag. */
  private void putTime(long time) {
    record.room(JournalFormat.MAX_NUMBER_BYTES + 1 + JournalFormat.MAX_NUMBER_BYTES + 1);
    record.putNumber(time - lastTime);
    lastTime = time;
  }

  private void putState(NodeStateView post) {
    record.room(state.measure(post));
    state.write(record);
  }

  private void putMessage(Message m) {
    record.room(1 + 7L * JournalFormat.MAX_NUMBER_BYTES);
    if (m instanceof RequestVoteRequest r) {
      putMessageHead(JournalFormat.REQUEST_VOTE_REQUEST, m);
      record.putNumber(r.lastLogTerm()).putNumber(r.lastLogIndex());
    } else if (m instanceof RequestVoteResponse r) {
      putMessageHead(JournalFormat.REQUEST_VOTE_RESPONSE, m);
      record.put((byte) (r.voteGranted() ? 1 : 0));
    } else if (m instanceof AppendEntriesRequest r) {
      putMessageHead(JournalFormat.APPEND_ENTRIES_REQUEST, m);
      List<LogEntry> entries = r.entries();
      record.putNumber(r.prevLogIndex()).putNumber(r.prevLogTerm()).putNumber(r.leaderCommit())
          .putNumber(entries.size());
      for (int k = 0; k < entries.size(); k++) {
        LogEntry entry = entries.get(k);
        record.room(JournalFormat.MAX_NUMBER_BYTES);
        record.putNumber(entry.term());
        putValue(entry.command(), r.prevLogIndex() + 1 + k);
      }
    } else if (m instanceof AppendEntriesResponse r) {
      putMessageHead(JournalFormat.APPEND_ENTRIES_RESPONSE, m);
      record.put((byte) (r.success() ? 1 : 0)).putNumber(r.matchIndex()).putNumber(r.conflictTerm())
          .putNumber(r.conflictIndex());
    }
  }

  private void putMessageHead(byte type, Message m) {
    record.put(type).putNumber(m.from()).putNumber(m.to()).putNumber(m.term());
  }

  /**
   * A command's digest ({@link ValueDigest#digest}, taken by another thread if it is one of the
   * {@link KnownDigests}; nothing for the empty command), or a reference to the same array written for the
   * same index before.
   */
  private void putValue(byte[] command, long index) {
    int slot = JournalFormat.slot(index);
    record.room(1 + 8);
    if (rememberedValues[slot] == command && rememberedIndexes[slot] == index) {
      record.putNumber(JournalFormat.SAME_VALUE);
      return;
    }
    if (command.length == 0) {
      record.putNumber(0);
    } else {
      record.putNumber(8).putLong(Long.reverseBytes(known.digestOf(command))); // big-endian bytes
    }
    rememberedValues[slot] = command;
    rememberedIndexes[slot] = index;
  }

  /** Copies the encoded event into the mapping: payload first, then its length, released. */
  private void append() {
    int length = record.position();
    long size = JournalFormat.align4(RECORD_HEADER + length);
    try {
      if (position + size > window.capacity()) {
        mapNextWindow(size);
      }
      window.put(position + RECORD_HEADER, record.array(), 0, length);
      LENGTH.setRelease(window, position, length);
      position += (int) size;
      toucher.wrote(position);
      events++;
    } catch (IOException | InternalError e) {
      failure = e;
    }
  }

  /**
   * Maps the window after the current one, from where the next record goes, large enough for a record of
   * {@code recordBytes}: in the same file, or at the start of the continuation if the file is in memory and
   * the window would take it past its limit. The current window's tail stays zero, the end of its records.
   */
  private void mapNextWindow(long recordBytes) throws IOException {
    long start = windowStart + position;
    long length = Math.max(windowBytes, recordBytes);
    if (memoryLimit > 0 && start + length > memoryLimit) {
      mapped = FileChannel.open(TraceFiles.continuation(file), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
      firstFileBytes = start;
      memoryLimit = 0;
      start = 0;
    }
    window = mapped.map(FileChannel.MapMode.READ_WRITE, start, length);
    window.order(JournalFormat.ORDER);
    windowStart = start;
    position = 0;
    toucher.moved(window, 0);
  }

  private void checkOpen(TraceAction action) {
    if (closed) {
      throw new IllegalStateException("trace journal " + file + " is closed; " + action + " came after close()");
    }
  }

  /** Digests of the next commands, taken by other threads; the driver fills it before a step. */
  KnownDigests knownDigests() {
    return known;
  }

  /** The thread that takes the page faults ({@link PageToucher}), for its CPU time. */
  @Nullable Thread pageToucher() {
    return toucher.thread();
  }

  /** The bytes the journal holds so far, in all its files: where its next record goes. */
  long size() {
    return firstFileBytes + windowStart + position;
  }

  /** @throws UncheckedIOException if recording failed: the trace misses the events since. */
  void checkWritten() {
    Throwable e = failure;
    if (e != null) {
      throw new UncheckedIOException("trace journal " + file + ": recording failed after event " + events
          + ", so the trace is incomplete: " + e, e instanceof IOException io ? io : new IOException(e));
    }
  }

  /**
   * Releases the lock and the files; the mapped pages stay in the files (on the disk as the kernel writes them
   * back). Calling it again does nothing more (but throws again if recording failed).
   *
   * @throws UncheckedIOException if recording failed, or the file could not be closed
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        toucher.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the toucher ends by itself; its touches change nothing
      }
      try {
        lock.release();
        channel.close();
        mapped.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    checkWritten();
  }
}
