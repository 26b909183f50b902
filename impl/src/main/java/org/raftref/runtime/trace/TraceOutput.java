package org.raftref.runtime.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;
import org.raftref.runtime.LamportClock;
import org.raftref.trace.JsonBytes;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;

/**
 * Where one server writes its trace: the {@link TraceSink} its core calls, the {@link LamportClock} that
 * stamps each event and each outgoing message, and the files behind them (see {@link TraceFiles}).
 *
 * <p>{@link #open} starts incarnation K+1 of a node whose directory holds K earlier ones: its clock starts
 * above every time those recorded (so that sorting by clock puts them first), and the server emits
 * {@code Restart} as its first event. {@link #none()} traces nothing; its clock still orders messages.
 *
 * <p>Confined to the server's driver thread (the core calls the sink during its steps), except that the
 * server's constructor and its shutdown use it before the driver starts and after it ended: thread start
 * and join order those uses.
 */
public final class TraceOutput implements AutoCloseable {

  /** Clock lines are collected up to about this many bytes between flushes. */
  private static final int CLOCK_SPILL_BYTES = 8192;

  private final TraceSink sink;
  private final LamportClock clock;
  private final boolean restarted;
  private final @Nullable NdjsonSink ndjson;
  private final @Nullable OutputStream clocks;
  /** Clock lines not yet written to {@link #clocks}: one decimal time and a newline per event. */
  private final JsonBytes clockLines = new JsonBytes(CLOCK_SPILL_BYTES);
  private final String name;
  /** The first error writing the clock file; reported by flush and close, like NdjsonSink's. */
  private @Nullable IOException clockFailure;

  private TraceOutput(@Nullable NdjsonSink ndjson, @Nullable OutputStream clocks, LamportClock clock,
      boolean restarted, String name) {
    this.ndjson = ndjson;
    this.clocks = clocks;
    this.clock = clock;
    this.restarted = restarted;
    this.name = name;
    this.sink = ndjson == null ? TraceSink.NONE : new ClockedSink(ndjson);
  }

  /** No trace: the sink does nothing, the clock only carries what it witnesses. */
  public static TraceOutput none() {
    return new TraceOutput(null, null, new LamportClock(0), false, "no trace");
  }

  /**
   * Opens the next incarnation of node {@code node} in {@code dir} (created if needed).
   *
   * @throws IOException if the directory cannot be read or the files cannot be created
   */
  public static TraceOutput open(Path dir, int node, List<Integer> members, int maxEntriesPerAppend)
      throws IOException {
    Files.createDirectories(dir);
    int incarnation = 1;
    long lastTime = 0;
    for (TraceFiles.Incarnation earlier : TraceFiles.list(dir)) {
      if (earlier.node() == node) {
        incarnation = Math.max(incarnation, earlier.number() + 1);
        lastTime = Math.max(lastTime, lastTime(earlier.clock()));
      }
    }
    Path trace = TraceFiles.traceFile(dir, node, incarnation);
    TraceHeader header = new TraceHeader(members, maxEntriesPerAppend,
        "raftref server node " + node + " incarnation " + incarnation);
    OutputStream clocks = Files.newOutputStream(TraceFiles.clockFile(dir, node, incarnation));
    NdjsonSink ndjson;
    try {
      ndjson = NdjsonSink.toFile(trace, header);
    } catch (UncheckedIOException e) {
      clocks.close();
      throw e.getCause();
    }
    return new TraceOutput(ndjson, clocks, new LamportClock(lastTime), incarnation > 1, trace.toString());
  }

  /** The largest time in a clock file; 0 if it has none. A partial last line is ignored. */
  private static long lastTime(Path clockFile) throws IOException {
    if (!Files.exists(clockFile)) {
      return 0;
    }
    long max = 0;
    for (String line : TraceFiles.completeLines(clockFile)) {
      try {
        max = Math.max(max, Long.parseLong(line));
      } catch (NumberFormatException e) {
        throw new IOException(clockFile + ": line \"" + line + "\" is not a Lamport time", e);
      }
    }
    return max;
  }

  /** The sink for the node's core (and the driver's {@code Restart}). */
  public TraceSink sink() {
    return sink;
  }

  public LamportClock clock() {
    return clock;
  }

  /** True if this is not the node's first traced incarnation: the server starts with {@code Restart}. */
  public boolean restarted() {
    return restarted;
  }

  /** The trace file, or "no trace". */
  public String name() {
    return name;
  }

  /**
   * Hands what was written to the operating system. The driver calls it before a Ready's messages leave, so
   * the {@code Persist} that released them is in the file even if this process is killed right after.
   *
   * @throws UncheckedIOException if a write failed (the trace is incomplete)
   */
  public void flush() {
    if (ndjson == null || clocks == null) {
      return;
    }
    ndjson.flush();
    writeClockLines(clocks);
    throwIfClockFailed();
  }

  /** Flushes and closes both files. @throws UncheckedIOException if any write failed. */
  @Override
  public void close() {
    if (ndjson == null || clocks == null) {
      return;
    }
    try {
      ndjson.close();
    } finally {
      writeClockLines(clocks);
      try {
        clocks.close();
      } catch (IOException e) {
        recordClockFailure(e);
      }
    }
    throwIfClockFailed();
  }

  private void writeClockLines(OutputStream out) {
    if (clockFailure != null) {
      return;
    }
    try {
      clockLines.drainTo(out);
    } catch (IOException e) {
      recordClockFailure(e);
    }
  }

  private void recordClockFailure(IOException e) {
    if (clockFailure == null) {
      clockFailure = e;
    }
  }

  private void throwIfClockFailed() {
    IOException failure = clockFailure;
    if (failure != null) {
      throw new UncheckedIOException("trace " + name + ": writing the Lamport clocks failed, so the trace cannot be"
          + " merged: " + failure.getMessage(), failure);
    }
  }

  /** Stamps every event with the next Lamport time, in the clock file's line of the same number. */
  private final class ClockedSink implements TraceSink {

    private final NdjsonSink events;

    ClockedSink(NdjsonSink events) {
      this.events = events;
    }

    @Override
    public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
        @Nullable Message sent) {
      long time = clock.tick();
      events.nodeStep(action, post, received, sent);
      writeTime(time);
    }

    @Override
    public void environmentStep(TraceAction action, int node, @Nullable Message message) {
      long time = clock.tick();
      events.environmentStep(action, node, message);
      writeTime(time);
    }

    private void writeTime(long time) {
      OutputStream out = clocks;
      if (out == null || clockFailure != null) {
        return;
      }
      clockLines.number(time).raw('\n');
      if (clockLines.length() >= CLOCK_SPILL_BYTES) {
        writeClockLines(out); // a failure is never thrown into the core's step; flush() and close() report it
      }
    }
  }
}
