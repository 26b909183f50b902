package org.raftref.runtime.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;
import org.raftref.runtime.LamportClock;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;

/**
 * Where one server writes its trace: the {@link TraceSink} its core calls, the {@link LamportClock} that
 * stamps each event and each outgoing message, and the files behind them (see {@link TraceFiles}).
 *
 * <p>While the server runs, each event goes into the incarnation's journal ({@link JournalWriter}): a binary
 * record in a memory-mapped file, which costs the driver a few hundred nanoseconds per event and no system
 * call, and survives the process being killed. {@link #close()} turns it into the ndjson trace and clock
 * file; a killed server's journal is turned by {@code merge-traces} ({@link JournalConverter#finishAll}).
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

  /** One event in this many is timed, for {@link #recording()}: enough to average, too few to cost anything. */
  private static final int TIME_EVERY = 64;

  /**
   * A timed event that took longer than this was not recording all that time: the thread was descheduled
   * (on a busy host, for milliseconds). Such samples are left out; recording one event takes microseconds at
   * most, a page fault or a new mapping included.
   */
  private static final long DESCHEDULED_NANOS = 100_000;

  /**
   * How much recording cost so far: the events recorded, and an estimate of the driver's time in recording
   * them: every {@value #TIME_EVERY}th event is timed with {@link System#nanoTime()}, and their average time
   * (leaving out those the thread was descheduled in) stands for every event's. Published every
   * {@value #TIME_EVERY} events, so it may lag the driver by fewer than that. And the CPU time of the thread
   * that takes the journal's page faults ({@link PageToucher}), which is recording's cost too. And the bytes
   * the journal holds, published with the events: what the trace adds to the disk's writes.
   */
  public record Recording(long events, long estimatedNanos, long pageToucherCpuNanos, long journalBytes) {}

  private final TraceSink sink;
  private final KnownDigests unused = new KnownDigests();
  private final LamportClock clock;
  private final boolean restarted;
  private final @Nullable JournalWriter journal;
  private final TraceFiles.@Nullable Incarnation files;
  private final String name;
  private final String journalPlacement;
  private boolean closed;
  // Driver only.
  private long recorded;
  private long timedNanos;
  private long timedEvents;
  // Written by the driver, read by any thread (a benchmark's statistics).
  private volatile long publishedEvents;
  private volatile long publishedNanos;
  private volatile long publishedBytes;

  private TraceOutput(@Nullable JournalWriter journal, TraceFiles.@Nullable Incarnation files, LamportClock clock,
      boolean restarted, String name, String journalPlacement) {
    this.journal = journal;
    this.journalPlacement = journalPlacement;
    this.files = files;
    this.clock = clock;
    this.restarted = restarted;
    this.name = name;
    this.sink = journal == null ? TraceSink.NONE : new ClockedSink(journal);
  }

  /** No trace: the sink does nothing, the clock only carries what it witnesses. */
  public static TraceOutput none() {
    return new TraceOutput(null, null, new LamportClock(0), false, "no trace", "no journal");
  }

  /**
   * Opens the next incarnation of node {@code node} in {@code dir} (created if needed).
   *
   * @throws IOException if the directory cannot be read, an earlier incarnation's files cannot be (a journal
   *     kept in memory that a restart lost included, {@link TraceFiles#journalExists}), or the journal cannot
   *     be created
   */
  public static TraceOutput open(Path dir, int node, List<Integer> members, int maxEntriesPerAppend)
      throws IOException {
    return open(dir, node, members, maxEntriesPerAppend, JournalMemory.NONE);
  }

  /**
   * As {@link #open(Path, int, List, int)}, keeping the journal's start in {@code memory} if it has room
   * ({@link JournalMemory}; {@link #journalPlacement()} says where it went).
   */
  public static TraceOutput open(Path dir, int node, List<Integer> members, int maxEntriesPerAppend,
      JournalMemory memory) throws IOException {
    Files.createDirectories(dir);
    int incarnation = 1;
    long lastTime = 0;
    for (TraceFiles.Incarnation earlier : TraceFiles.list(dir)) {
      if (earlier.node() == node) {
        incarnation = Math.max(incarnation, earlier.number() + 1);
        lastTime = Math.max(lastTime, lastTime(earlier));
      }
    }
    TraceFiles.Incarnation files = TraceFiles.incarnation(dir, node, incarnation);
    TraceHeader header = new TraceHeader(members, maxEntriesPerAppend,
        "raftref server node " + node + " incarnation " + incarnation);
    JournalMemory.Placement placement = memory.place();
    JournalWriter journal = JournalWriter.create(files.journal(), header, placement);
    return new TraceOutput(journal, files, new LamportClock(lastTime), incarnation > 1, files.trace().toString(),
        placement.describe());
  }

  /**
   * The largest time an earlier incarnation recorded: in its journal if it was killed (which is left for
   * {@code merge-traces} to convert, so that a restart does not wait for it), else in its clock file.
   */
  private static long lastTime(TraceFiles.Incarnation earlier) throws IOException {
    if (TraceFiles.journalExists(earlier)) {
      try (JournalReader journal = JournalReader.open(earlier.journal())) {
        return journal.lastTime();
      }
    }
    if (!Files.exists(earlier.clock())) {
      return 0;
    }
    long max = 0;
    for (String line : TraceFiles.completeLines(earlier.clock())) {
      try {
        max = Math.max(max, Long.parseLong(line));
      } catch (NumberFormatException e) {
        throw new IOException(earlier.clock() + ": line \"" + line + "\" is not a Lamport time", e);
      }
    }
    return max;
  }

  /** True if this records events (a journal), false for {@link #none()}. */
  public boolean records() {
    return journal != null;
  }

  /**
   * Where the driver hands over the digests of the commands its next step records, taken by other threads
   * ({@link KnownDigests}). Only used if {@link #records()}.
   */
  public KnownDigests knownDigests() {
    return journal != null ? journal.knownDigests() : unused;
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

  /** What recording has cost so far ({@link Recording}); zero for {@link #none()}. Any thread may call it. */
  public Recording recording() {
    Thread toucher = journal == null ? null : journal.pageToucher();
    long toucherCpu = 0;
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    if (toucher != null && threads.isThreadCpuTimeSupported()) {
      toucherCpu = Math.max(0, threads.getThreadCpuTime(toucher.getId()));
    }
    return new Recording(publishedEvents, publishedNanos, toucherCpu, publishedBytes);
  }

  /** The trace file (written at {@link #close()}), or "no trace". */
  public String name() {
    return name;
  }

  /** Where the journal is kept while the server runs, and why there: for the server's first line. */
  public String journalPlacement() {
    return journalPlacement;
  }

  /**
   * Reports a failed recording. The driver calls it before a Ready's messages leave; there is nothing to hand
   * over, since every event is in the mapped file (and the kernel's page cache) once recorded, so the
   * {@code Persist} that released the messages is in the journal even if this process is killed right after.
   *
   * @throws UncheckedIOException if recording failed (the trace is incomplete)
   */
  public void flush() {
    if (journal != null) {
      journal.checkWritten();
    }
  }

  /**
   * Closes the journal and converts it into the ndjson trace and clock file. Calling it again does nothing.
   *
   * @throws UncheckedIOException if recording failed, or the conversion did (the journal then stays, for
   *     {@code merge-traces} to convert)
   */
  @Override
  public void close() {
    JournalWriter writer = journal;
    TraceFiles.Incarnation incarnation = files;
    if (writer == null || incarnation == null || closed) {
      return;
    }
    closed = true;
    writer.close();
    try {
      JournalConverter.finish(incarnation);
    } catch (IOException e) {
      throw new UncheckedIOException("trace " + name + ": converting the journal failed (it stays, for "
          + "merge-traces to convert): " + e.getMessage(), e);
    }
  }

  /** Stamps every event with the next Lamport time, recorded with the event; times one in {@value #TIME_EVERY}. */
  private final class ClockedSink implements TraceSink {

    private final JournalWriter events;

    ClockedSink(JournalWriter events) {
      this.events = events;
    }

    @Override
    public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
        @Nullable Message sent) {
      if (++recorded % TIME_EVERY != 0) {
        events.nodeStep(clock.tick(), action, post, received, sent);
        return;
      }
      long start = System.nanoTime();
      events.nodeStep(clock.tick(), action, post, received, sent);
      timed(System.nanoTime() - start);
    }

    @Override
    public void environmentStep(TraceAction action, int node, @Nullable Message message) {
      if (++recorded % TIME_EVERY != 0) {
        events.environmentStep(clock.tick(), action, node, message);
        return;
      }
      long start = System.nanoTime();
      events.environmentStep(clock.tick(), action, node, message);
      timed(System.nanoTime() - start);
    }

    private void timed(long nanos) {
      if (nanos < DESCHEDULED_NANOS) {
        timedNanos += nanos;
        timedEvents++;
      }
      publishedNanos = timedEvents == 0 ? 0 : Math.round((double) timedNanos / timedEvents * recorded);
      publishedBytes = events.size();
      publishedEvents = recorded;
    }
  }
}
