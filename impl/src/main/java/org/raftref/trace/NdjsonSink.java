package org.raftref.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
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
 * line per step. Uses Jackson's streaming generator, so an event costs no tree of objects.
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

  /**
   * A generator separates root values with a space by default; here each line ends with a newline instead,
   * written with the event. On close, a generator would by default end any object left open, writing half an
   * event after a failed write; a failed trace is reported as such instead.
   */
  // Field names and fixed values of every node step, encoded once: a trace writes them after every step.
  private static final SerializedString SEQ = new SerializedString("seq");
  private static final SerializedString NODE = new SerializedString("node");
  private static final SerializedString ACTION = new SerializedString("action");
  private static final SerializedString PEER = new SerializedString("peer");
  private static final SerializedString VALUE = new SerializedString("value");
  private static final SerializedString STATE = new SerializedString("state");
  private static final SerializedString CURRENT_TERM = new SerializedString("currentTerm");
  private static final SerializedString VOTED_FOR = new SerializedString("votedFor");
  private static final SerializedString ROLE = new SerializedString("role");
  private static final SerializedString COMMIT_INDEX = new SerializedString("commitIndex");
  private static final SerializedString LOG = new SerializedString("log");
  private static final SerializedString NEXT_INDEX = new SerializedString("nextIndex");
  private static final SerializedString MATCH_INDEX = new SerializedString("matchIndex");
  private static final SerializedString TYPE = new SerializedString("type");
  private static final SerializedString FROM = new SerializedString("from");
  private static final SerializedString TO = new SerializedString("to");
  private static final SerializedString TERM = new SerializedString("term");
  private static final SerializedString PREV_LOG_INDEX = new SerializedString("prevLogIndex");
  private static final SerializedString PREV_LOG_TERM = new SerializedString("prevLogTerm");
  private static final SerializedString ENTRIES = new SerializedString("entries");
  private static final SerializedString LEADER_COMMIT = new SerializedString("leaderCommit");
  private static final SerializedString SUCCESS = new SerializedString("success");
  private static final SerializedString CONFLICT_TERM = new SerializedString("conflictTerm");
  private static final SerializedString CONFLICT_INDEX = new SerializedString("conflictIndex");
  private static final SerializedString[] ACTION_NAMES = java.util.Arrays.stream(TraceAction.values())
      .map(a -> new SerializedString(a.name())).toArray(SerializedString[]::new);

  private static final JsonFactory JSON = new JsonFactoryBuilder()
      .rootValueSeparator("")
      .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
      .build();

  /** Names the trace in error messages: the file, or what the caller says it is. */
  private final String name;
  private final int[] members;
  /** The members' ids as JSON field names, encoded once (the keys of nextIndex and matchIndex). */
  private final SerializedString[] memberKeys;
  private final JsonGenerator json;
  /** What {@link #json} writes to; closed directly after a failure, when the generator must not flush. */
  private final Closeable target;
  private final ValueDigest digest = new ValueDigest();

  // Guarded by this.
  /** Sequence number of the last event written. */
  private long seq;
  /** The first write error, after which nothing more is written. */
  private @Nullable IOException failure;
  /** When {@link #failure} happened, for its message: "while writing event 117". */
  private String failedWhen = "";
  private boolean closed;

  /**
   * A sink writing to {@code out}, which it closes on {@link #close()}. Writes the header now.
   *
   * @param name names the trace in error messages (a file name, say)
   * @throws UncheckedIOException if the header cannot be written
   */
  public NdjsonSink(OutputStream out, String name, TraceHeader header) {
    this(generator(out, name), out, name, header);
  }

  /** As {@link #NdjsonSink(OutputStream, String, TraceHeader)}, for a character stream. */
  public NdjsonSink(Writer out, String name, TraceHeader header) {
    this(generator(out, name), out, name, header);
  }

  /**
   * A sink writing to a new file at {@code file} (replacing any file there), named by its path.
   *
   * @throws UncheckedIOException if the file cannot be created or the header not written
   */
  public static NdjsonSink toFile(Path file, TraceHeader header) {
    OutputStream out;
    try {
      out = Files.newOutputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("trace " + file + ": cannot create: " + e, e);
    }
    return new NdjsonSink(out, file.toString(), header);
  }

  private NdjsonSink(JsonGenerator json, Closeable target, String name, TraceHeader header) {
    this.json = json;
    this.target = target;
    this.name = name;
    this.members = header.members().stream().mapToInt(Integer::intValue).toArray();
    this.memberKeys = new SerializedString[members.length];
    for (int k = 0; k < members.length; k++) {
      memberKeys[k] = new SerializedString(Integer.toString(members[k]));
    }
    try {
      json.writeStartObject();
      json.writeStringField("format", FORMAT);
      json.writeNumberField("schema", SCHEMA_VERSION);
      json.writeArrayFieldStart("members");
      for (int member : members) {
        json.writeNumber(member);
      }
      json.writeEndArray();
      json.writeNumberField("maxEntriesPerAppend", header.maxEntriesPerAppend());
      json.writeStringField("origin", header.origin());
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("trace " + name + ": cannot write the header: " + e.getMessage(), e);
    }
  }

  private static JsonGenerator generator(OutputStream out, String name) {
    try {
      return JSON.createGenerator(out, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException("trace " + name + ": cannot open: " + e.getMessage(), e);
    }
  }

  private static JsonGenerator generator(Writer out, String name) {
    try {
      return JSON.createGenerator(out);
    } catch (IOException e) {
      throw new UncheckedIOException("trace " + name + ": cannot open: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
      @Nullable Message sent) {
    checkOpen(action);
    if (!action.isNodeStep()) {
      throw new IllegalArgumentException(action + " is not a node step");
    }
    if (failure != null) {
      return;
    }
    try {
      json.writeStartObject();
      json.writeFieldName(SEQ);
      json.writeNumber(++seq);
      json.writeFieldName(NODE);
      json.writeNumber(post.id());
      json.writeFieldName(ACTION);
      json.writeString(ACTION_NAMES[action.ordinal()]);
      if (received != null) {
        json.writeFieldName(PEER);
        json.writeNumber(received.from());
      } else if (sent != null) {
        json.writeFieldName(PEER);
        json.writeNumber(sent.to());
      }
      if (action == TraceAction.ClientRequest) {
        // The command the leader just appended: the last entry of its log.
        json.writeFieldName(VALUE);
        json.writeString(digest.of(post.logEntry(post.lastLogIndex()).command()));
      }
      if (received != null) {
        writeMessage("recv", received);
      }
      if (sent != null) {
        writeMessage("sent", sent);
      }
      writeState(post);
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      fail(e, "while writing event " + seq);
    }
  }

  @Override
  public synchronized void environmentStep(TraceAction action, int node, @Nullable Message message) {
    checkOpen(action);
    switch (action) {
      case Restart:
        if (node <= 0) {
          throw new IllegalArgumentException("Restart needs the node's id, was " + node);
        }
        break;
      case DropMessage:
      case DuplicateMessage:
        if (message == null) {
          throw new IllegalArgumentException(action + " needs the message");
        }
        break;
      default:
        throw new IllegalArgumentException(action + " is not an environment step");
    }
    if (failure != null) {
      return;
    }
    try {
      json.writeStartObject();
      json.writeNumberField("seq", ++seq);
      if (action == TraceAction.Restart) {
        json.writeNumberField("node", node);
      }
      json.writeStringField("action", action.name());
      if (message != null && action != TraceAction.Restart) {
        writeMessage("msg", message);
      }
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException e) {
      fail(e, "while writing event " + seq);
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

  private void writeMessage(String field, Message m) throws IOException {
    json.writeObjectFieldStart(field);
    json.writeFieldName(TYPE);
    json.writeString(m.type());
    json.writeFieldName(FROM);
    json.writeNumber(m.from());
    json.writeFieldName(TO);
    json.writeNumber(m.to());
    json.writeFieldName(TERM);
    json.writeNumber(m.term());
    if (m instanceof RequestVoteRequest r) {
      json.writeNumberField("lastLogTerm", r.lastLogTerm());
      json.writeNumberField("lastLogIndex", r.lastLogIndex());
    } else if (m instanceof RequestVoteResponse r) {
      json.writeBooleanField("voteGranted", r.voteGranted());
    } else if (m instanceof AppendEntriesRequest r) {
      json.writeFieldName(PREV_LOG_INDEX);
      json.writeNumber(r.prevLogIndex());
      json.writeFieldName(PREV_LOG_TERM);
      json.writeNumber(r.prevLogTerm());
      writeEntries(r.entries());
      json.writeFieldName(LEADER_COMMIT);
      json.writeNumber(r.leaderCommit());
    } else if (m instanceof AppendEntriesResponse r) {
      json.writeFieldName(SUCCESS);
      json.writeBoolean(r.success());
      json.writeFieldName(MATCH_INDEX);
      json.writeNumber(r.matchIndex());
      json.writeFieldName(CONFLICT_TERM);
      json.writeNumber(r.conflictTerm());
      json.writeFieldName(CONFLICT_INDEX);
      json.writeNumber(r.conflictIndex());
    }
    json.writeEndObject();
  }

  private void writeEntries(List<LogEntry> entries) throws IOException {
    json.writeFieldName(ENTRIES);
    json.writeStartArray();
    for (LogEntry entry : entries) {
      json.writeStartArray();
      json.writeNumber(entry.term());
      json.writeString(digest.of(entry.command()));
      json.writeEndArray();
    }
    json.writeEndArray();
  }

  private void writeState(NodeStateView post) throws IOException {
    json.writeFieldName(STATE);
    json.writeStartObject();
    json.writeFieldName(CURRENT_TERM);
    json.writeNumber(post.currentTerm());
    json.writeFieldName(VOTED_FOR);
    json.writeNumber(post.votedFor());
    String role = post.roleName();
    json.writeFieldName(ROLE);
    json.writeString(role);
    json.writeFieldName(COMMIT_INDEX);
    json.writeNumber(post.commitIndex());
    writeLogRuns(post);
    if (role.equals("Leader")) {
      json.writeFieldName(NEXT_INDEX);
      json.writeStartObject();
      for (int k = 0; k < members.length; k++) {
        if (members[k] != post.id()) {
          json.writeFieldName(memberKeys[k]);
          json.writeNumber(post.nextIndex(members[k]));
        }
      }
      json.writeEndObject();
      json.writeFieldName(MATCH_INDEX);
      json.writeStartObject();
      for (int k = 0; k < members.length; k++) {
        if (members[k] != post.id()) {
          json.writeFieldName(memberKeys[k]);
          json.writeNumber(post.matchIndex(members[k]));
        }
      }
      json.writeEndObject();
    } else if (role.equals("Candidate")) {
      json.writeArrayFieldStart("votes");
      for (int member : members) {
        if (post.voteGranted(member)) {
          json.writeNumber(member);
        }
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** The log's terms as runs {@code [term, lastIndex]} ({@link NodeStateView#logRuns()}). */
  private void writeLogRuns(NodeStateView post) throws IOException {
    json.writeFieldName(LOG);
    json.writeStartArray();
    for (long[] run : post.logRuns()) {
      json.writeStartArray();
      json.writeNumber(run[0]);
      json.writeNumber(run[1]);
      json.writeEndArray();
    }
    json.writeEndArray();
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
        json.flush();
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
          json.close(); // flushes, then closes the target
        } else {
          target.close(); // the generator would retry writing its buffer
        }
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
}
