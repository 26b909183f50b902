package org.raftref.trace;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/**
 * Writes a trace as ndjson, in the format of {@code docs/trace-format.md}: the header when created, then one
 * line per step. It knows the schema, so it appends each event's keys and punctuation as pre-encoded bytes
 * ({@link JsonBytes}) rather than going through a general JSON generator: an event costs no objects and no
 * bookkeeping of where in the document it is. The output is ASCII.
 *
 * <p>Deterministic: the same calls write the same bytes. Keys are written in a fixed order, per-peer maps in
 * ascending member order, and nothing depends on the clock or on hash order.
 *
 * <p>Write errors: the core calls this sink in the middle of its steps, and an exception thrown here would
 * leave a node half-way through one. So the first {@link IOException} is remembered, nothing more is written,
 * and {@link #flush()} and {@link #close()} throw it as an {@link UncheckedIOException} naming the trace.
 * Driver bugs (an event after {@code close()}, an environment event without its node or message) throw at once.
 *
 * <p>Thread-safe: every method holds this sink's lock, so nodes driven by different threads may share one.
 */
public final class NdjsonSink implements TraceSink, Flushable, Closeable {

  /** The {@code format} field of every header. */
  public static final String FORMAT = "raftref-trace";
  /** The schema this sink writes; {@code docs/trace-format.md} describes it. */
  public static final int SCHEMA_VERSION = 1;

  // Keys with their punctuation, encoded once: a trace writes them after every step.
  private static final byte[] SEQ = JsonBytes.ascii("{\"seq\":");
  private static final byte[] NODE = JsonBytes.ascii(",\"node\":");
  private static final byte[] ACTION = JsonBytes.ascii(",\"action\":");
  private static final byte[] PEER = JsonBytes.ascii(",\"peer\":");
  private static final byte[] VALUE = JsonBytes.ascii(",\"value\":");
  private static final byte[] RECV = JsonBytes.ascii(",\"recv\":");
  private static final byte[] SENT = JsonBytes.ascii(",\"sent\":");
  private static final byte[] MSG = JsonBytes.ascii(",\"msg\":");
  private static final byte[] STATE_CURRENT_TERM = JsonBytes.ascii(",\"state\":{\"currentTerm\":");
  private static final byte[] VOTED_FOR = JsonBytes.ascii(",\"votedFor\":");
  private static final byte[] ROLE = JsonBytes.ascii(",\"role\":");
  private static final byte[] COMMIT_INDEX = JsonBytes.ascii(",\"commitIndex\":");
  private static final byte[] LOG = JsonBytes.ascii(",\"log\":[");
  private static final byte[] NEXT_INDEX = JsonBytes.ascii(",\"nextIndex\":{");
  private static final byte[] MATCH_INDEX_MAP = JsonBytes.ascii(",\"matchIndex\":{");
  private static final byte[] VOTES = JsonBytes.ascii(",\"votes\":[");
  private static final byte[] TYPE = JsonBytes.ascii("{\"type\":");
  private static final byte[] FROM = JsonBytes.ascii(",\"from\":");
  private static final byte[] TO = JsonBytes.ascii(",\"to\":");
  private static final byte[] TERM = JsonBytes.ascii(",\"term\":");
  private static final byte[] LAST_LOG_TERM = JsonBytes.ascii(",\"lastLogTerm\":");
  private static final byte[] LAST_LOG_INDEX = JsonBytes.ascii(",\"lastLogIndex\":");
  private static final byte[] VOTE_GRANTED = JsonBytes.ascii(",\"voteGranted\":");
  private static final byte[] PREV_LOG_INDEX = JsonBytes.ascii(",\"prevLogIndex\":");
  private static final byte[] PREV_LOG_TERM = JsonBytes.ascii(",\"prevLogTerm\":");
  private static final byte[] ENTRIES = JsonBytes.ascii(",\"entries\":[");
  private static final byte[] LEADER_COMMIT = JsonBytes.ascii(",\"leaderCommit\":");
  private static final byte[] SUCCESS = JsonBytes.ascii(",\"success\":");
  private static final byte[] MATCH_INDEX = JsonBytes.ascii(",\"matchIndex\":");
  private static final byte[] CONFLICT_TERM = JsonBytes.ascii(",\"conflictTerm\":");
  private static final byte[] CONFLICT_INDEX = JsonBytes.ascii(",\"conflictIndex\":");
  private static final byte[] END_LINE = JsonBytes.ascii("}\n");
  private static final byte[] OPEN = JsonBytes.ascii("[");
  private static final byte[] COMMA_OPEN = JsonBytes.ascii(",[");
  /** Each action's name as a JSON string, quotes included. */
  private static final byte[][] ACTION_NAMES = java.util.Arrays.stream(TraceAction.values())
      .map(a -> JsonBytes.ascii("\"" + a.name() + "\"")).toArray(byte[][]::new);

  /** Events are collected up to about this many bytes before they are written to the stream. */
  private static final int SPILL_BYTES = 8192;

  /** Names the trace in error messages: the file, or what the caller says it is. */
  private final String name;
  private final int[] members;
  /** The members' ids as JSON keys with their quotes and colon, encoded once (of nextIndex and matchIndex). */
  private final byte[][] memberKeys;
  private final OutputStream out;
  private final JsonBytes json = new JsonBytes(2 * SPILL_BYTES);
  private final ValueDigest digest;

  // Guarded by this.
  /** Sequence number of the last event written. */
  private long seq;
  /** The first write error, after which nothing more is written. */
  private @Nullable IOException failure;
  /** When {@link #failure} happened, for its message: "while writing event 117". */
  private String failedWhen = "";
  private boolean closed;

  /**
   * A sink writing to {@code out}, which it closes on {@link #close()}. The header reaches {@code out} first,
   * with the first events or at the first flush.
   *
   * @param name names the trace in error messages (a file name, say)
   */
  public NdjsonSink(OutputStream out, String name, TraceHeader header) {
    this(out, name, header, new ValueDigest());
  }

  /**
   * As {@link #NdjsonSink(OutputStream, String, TraceHeader)}, turning commands into values with
   * {@code values}: {@link ValueDigest#ofDigests()} when the commands given are already their digests (the
   * runtime's journal records only those).
   */
  public NdjsonSink(OutputStream out, String name, TraceHeader header, ValueDigest values) {
    this.digest = values;
    this.out = out;
    this.name = name;
    this.members = header.members().stream().mapToInt(Integer::intValue).toArray();
    this.memberKeys = new byte[members.length][];
    for (int k = 0; k < members.length; k++) {
      memberKeys[k] = JsonBytes.ascii("\"" + members[k] + "\":");
    }
    json.raw(JsonBytes.ascii("{\"format\":")).string(FORMAT)
        .raw(JsonBytes.ascii(",\"schema\":")).number(SCHEMA_VERSION)
        .raw(JsonBytes.ascii(",\"members\":["));
    for (int k = 0; k < members.length; k++) {
      if (k > 0) {
        json.raw(',');
      }
      json.number(members[k]);
    }
    json.raw(JsonBytes.ascii("],\"maxEntriesPerAppend\":")).number(header.maxEntriesPerAppend())
        .raw(JsonBytes.ascii(",\"origin\":")).string(header.origin())
        .raw(END_LINE); // reaches the stream with the first events, or at flush()
  }

  /** As {@link #NdjsonSink(OutputStream, String, TraceHeader)}, for a character stream (the output is ASCII). */
  public NdjsonSink(Writer out, String name, TraceHeader header) {
    this(new AsciiToWriter(out), name, header);
  }

  /**
   * A sink writing to a new file at {@code file} (replacing any file there), named by its path.
   *
   * @throws UncheckedIOException if the file cannot be created
   */
  public static NdjsonSink toFile(Path file, TraceHeader header) {
    return toFile(file, header, new ValueDigest());
  }

  /** As {@link #toFile(Path, TraceHeader)}, with the values of {@code values}. */
  public static NdjsonSink toFile(Path file, TraceHeader header, ValueDigest values) {
    OutputStream out;
    try {
      out = Files.newOutputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("trace " + file + ": cannot create: " + e, e);
    }
    return new NdjsonSink(out, file.toString(), header, values);
  }

  @Override
  public synchronized void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
      @Nullable Message sent) {
    checkOpen(action);
    action.checkNodeStep();
    if (failure != null) {
      return;
    }
    json.raw(SEQ).number(++seq).raw(NODE).number(post.id()).raw(ACTION).raw(ACTION_NAMES[action.ordinal()]);
    if (received != null) {
      json.raw(PEER).number(received.from());
    } else if (sent != null) {
      json.raw(PEER).number(sent.to());
    }
    if (action == TraceAction.ClientRequest) {
      // The command the leader just appended: the last entry of its log.
      long index = post.lastLogIndex();
      json.raw(VALUE).raw(digest.quoted(post.logEntry(index).command(), index));
    }
    if (received != null) {
      writeMessage(RECV, received);
    }
    if (sent != null) {
      writeMessage(SENT, sent);
    }
    writeState(post);
    json.raw(END_LINE);
    spillIfFull();
  }

  @Override
  public synchronized void environmentStep(TraceAction action, int node, @Nullable Message message) {
    checkOpen(action);
    action.checkEnvironmentStep(node, message);
    if (failure != null) {
      return;
    }
    json.raw(SEQ).number(++seq);
    if (action == TraceAction.Restart) {
      json.raw(NODE).number(node);
    }
    json.raw(ACTION).raw(ACTION_NAMES[action.ordinal()]);
    if (message != null && action != TraceAction.Restart) {
      writeMessage(MSG, message);
    }
    json.raw(END_LINE);
    spillIfFull();
  }

  /** Writes the collected events to the stream once they pass {@link #SPILL_BYTES}. */
  private void spillIfFull() {
    if (json.length() >= SPILL_BYTES) {
      try {
        json.drainTo(out);
      } catch (IOException e) {
        fail(e, "while writing event " + seq);
      }
    }
  }

  private void fail(IOException e, String when) {
    if (failure == null) {
      failure = e;
      failedWhen = when;
    }
  }

  private void checkOpen(TraceAction action) {
    if (closed) {
      throw new IllegalStateException("trace " + name + " is closed; " + action + " came after close()");
    }
  }

  private void writeMessage(byte[] field, Message m) {
    json.raw(field).raw(TYPE).string(m.type()).raw(FROM).number(m.from()).raw(TO).number(m.to())
        .raw(TERM).number(m.term());
    if (m instanceof RequestVoteRequest r) {
      json.raw(LAST_LOG_TERM).number(r.lastLogTerm()).raw(LAST_LOG_INDEX).number(r.lastLogIndex());
    } else if (m instanceof RequestVoteResponse r) {
      json.raw(VOTE_GRANTED).bool(r.voteGranted());
    } else if (m instanceof AppendEntriesRequest r) {
      json.raw(PREV_LOG_INDEX).number(r.prevLogIndex()).raw(PREV_LOG_TERM).number(r.prevLogTerm());
      writeEntries(r.prevLogIndex(), r.entries());
      json.raw(LEADER_COMMIT).number(r.leaderCommit());
    } else if (m instanceof AppendEntriesResponse r) {
      json.raw(SUCCESS).bool(r.success()).raw(MATCH_INDEX).number(r.matchIndex())
          .raw(CONFLICT_TERM).number(r.conflictTerm()).raw(CONFLICT_INDEX).number(r.conflictIndex());
    }
    json.raw('}');
  }

  private void writeEntries(long prevLogIndex, List<LogEntry> entries) {
    json.raw(ENTRIES);
    for (int k = 0; k < entries.size(); k++) {
      LogEntry entry = entries.get(k);
      json.raw(k == 0 ? OPEN : COMMA_OPEN).number(entry.term()).raw(',')
          .raw(digest.quoted(entry.command(), prevLogIndex + 1 + k))
          .raw(']');
    }
    json.raw(']');
  }

  private void writeState(NodeStateView post) {
    String role = post.roleName();
    json.raw(STATE_CURRENT_TERM).number(post.currentTerm()).raw(VOTED_FOR).number(post.votedFor())
        .raw(ROLE).string(role).raw(COMMIT_INDEX).number(post.commitIndex());
    writeLogRuns(post);
    if (role.equals("Leader")) {
      writePeerMap(NEXT_INDEX, post, true);
      writePeerMap(MATCH_INDEX_MAP, post, false);
    } else if (role.equals("Candidate")) {
      json.raw(VOTES);
      boolean first = true;
      for (int member : members) {
        if (post.voteGranted(member)) {
          if (!first) {
            json.raw(',');
          }
          json.number(member);
          first = false;
        }
      }
      json.raw(']');
    }
    json.raw('}');
  }

  /** nextIndex or matchIndex, keyed by the other members in ascending order. */
  private void writePeerMap(byte[] field, NodeStateView post, boolean next) {
    json.raw(field);
    boolean first = true;
    for (int k = 0; k < members.length; k++) {
      if (members[k] != post.id()) {
        if (!first) {
          json.raw(',');
        }
        json.raw(memberKeys[k]).number(next ? post.nextIndex(members[k]) : post.matchIndex(members[k]));
        first = false;
      }
    }
    json.raw('}');
  }

  /** The log's terms as runs {@code [term, lastIndex]} ({@link NodeStateView#logRuns()}). */
  private void writeLogRuns(NodeStateView post) {
    json.raw(LOG);
    int count = post.logRunCount();
    for (int k = 0; k < count; k++) {
      json.raw(k == 0 ? OPEN : COMMA_OPEN).number(post.logRunTerm(k)).raw(',').number(post.logRunLastIndex(k))
          .raw(']');
    }
    json.raw(']');
  }

  /** The number of events written so far. */
  public synchronized long eventCount() {
    return seq;
  }

  /**
   * Pushes buffered events to the stream.
   *
   * @throws UncheckedIOException if any write so far failed (then the trace is incomplete)
   */
  @Override
  public synchronized void flush() {
    if (failure == null && !closed) {
      try {
        json.drainTo(out);
        out.flush();
      } catch (IOException e) {
        fail(e, "while flushing after event " + seq);
      }
    }
    throwIfFailed();
  }

  /**
   * Writes what is buffered and closes the stream; calling it again does nothing more (but throws again if
   * writing failed).
   *
   * @throws UncheckedIOException if any write failed, now or before: the trace is incomplete
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        if (failure == null) {
          json.drainTo(out);
        }
        out.close();
      } catch (IOException e) {
        fail(e, "while closing after event " + seq);
      }
    }
    throwIfFailed();
  }

  private void throwIfFailed() {
    IOException e = failure;
    if (e != null) {
      throw new UncheckedIOException("trace " + name + ": write failed " + failedWhen
          + ", so the trace is incomplete: " + e.getMessage(), e);
    }
  }

  /** A character stream seen as a byte stream of ASCII: each byte is one character. */
  private static final class AsciiToWriter extends OutputStream {

    private final Writer out;

    AsciiToWriter(Writer out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b & 0x7f);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      char[] chars = new char[length];
      for (int k = 0; k < length; k++) {
        chars[k] = (char) (bytes[offset + k] & 0x7f);
      }
      out.write(chars);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
