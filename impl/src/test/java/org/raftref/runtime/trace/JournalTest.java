package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.sim.FaultMix;
import org.raftref.sim.FaultSchedule;
import org.raftref.sim.RandomSchedules;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.TraceSink;

/**
 * A journal ({@link JournalWriter}) converted by {@link JournalConverter} is the trace {@link NdjsonSink}
 * writes for the same calls, byte for byte; what a killed writer leaves converts to the events recorded
 * before; a journal that is being written, or is not one, is refused with a message naming it.
 */
class JournalTest {

  static final List<Integer> FIVE = List.of(1, 2, 3, 4, 5);
  /** Small windows, so that the simulated runs below cross many of them. */
  static final int SMALL_WINDOW = 8 << 10;

  /** Feeds every event to an ndjson sink and to a journal, the journal's times being 10, 20, 30, ... */
  static class Tee implements TraceSink {
    final NdjsonSink ndjson;
    final JournalWriter journal;
    long events;

    Tee(NdjsonSink ndjson, JournalWriter journal) {
      this.ndjson = ndjson;
      this.journal = journal;
    }

    @Override
    public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
        @Nullable Message sent) {
      ndjson.nodeStep(action, post, received, sent);
      journal.nodeStep(10 * ++events, action, post, received, sent);
      afterEvent();
    }

    @Override
    public void environmentStep(TraceAction action, int node, @Nullable Message message) {
      ndjson.environmentStep(action, node, message);
      journal.environmentStep(10 * ++events, action, node, message);
      afterEvent();
    }

    void afterEvent() {}
  }

  static TraceHeader header(String origin) {
    return new TraceHeader(FIVE, SimParams.DEFAULTS.maxEntriesPerAppend(), origin);
  }

  static String timesUpTo(long events) {
    StringBuilder expected = new StringBuilder();
    for (long k = 1; k <= events; k++) {
      expected.append(10 * k).append('\n');
    }
    return expected.toString();
  }

  @Test
  void convertsToTheBytesNdjsonSinkWritesForTheSameRun(@TempDir Path dir) throws IOException {
    for (long seed = 5; seed <= 7; seed++) {
      FaultSchedule schedule = RandomSchedules.generate(seed, 5, 20_000, FaultMix.ALL).schedule();
      TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 1, (int) seed);
      TraceHeader header = header("JournalTest seed " + seed);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      long events;
      try (NdjsonSink ndjson = new NdjsonSink(expected, "memory", header);
          JournalWriter journal = JournalWriter.create(inc.journal(), header, SMALL_WINDOW)) {
        Tee tee = new Tee(ndjson, journal);
        ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, tee);
        events = tee.events;
        assertTrue(journal.size() > 4 * SMALL_WINDOW, "seed " + seed + ": crosses windows, " + journal.size());
      }
      assertTrue(events > 1_000, "seed " + seed + ": too few events, " + events);
      assertEquals(events, JournalConverter.finish(inc));
      assertArrayEquals(expected.toByteArray(), Files.readAllBytes(inc.trace()), "seed " + seed);
      assertEquals(timesUpTo(events), Files.readString(inc.clock()), "seed " + seed);
      assertFalse(Files.exists(inc.journal()), "the converted journal is deleted");
    }
  }

  @Test
  void whatAKilledWriterLeavesConvertsToTheEventsRecordedBeforeTheKill(@TempDir Path dir) throws IOException {
    long seed = 11;
    long killAfter = 777;
    FaultSchedule schedule = RandomSchedules.generate(seed, 5, 5_000, FaultMix.ALL).schedule();
    TraceFiles.Incarnation running = TraceFiles.incarnation(dir, 1, 1);
    TraceFiles.Incarnation killed = TraceFiles.incarnation(dir, 2, 1);
    TraceHeader header = header("JournalTest kill");
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    try (NdjsonSink ndjson = new NdjsonSink(whole, "memory", header);
        JournalWriter journal = JournalWriter.create(running.journal(), header, SMALL_WINDOW)) {
      Tee tee = new Tee(ndjson, journal) {
        @Override
        void afterEvent() {
          if (events == killAfter) {
            try {
              // The file as a kill -9 would leave it: written through the mapping, never closed, zero tail.
              Files.copy(running.journal(), killed.journal());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        }
      };
      ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, tee);
      assertTrue(tee.events > killAfter);
    }
    assertEquals(killAfter, JournalConverter.finish(killed));
    List<String> expected = Arrays.asList(whole.toString(java.nio.charset.StandardCharsets.US_ASCII).split("\n"));
    List<String> converted = Files.readAllLines(killed.trace());
    assertEquals(expected.subList(0, (int) killAfter + 1), converted);
    assertEquals(timesUpTo(killAfter), Files.readString(killed.clock()));
  }

  /** A leader with entries 1..n of term 1, as far as the journal reads a state. */
  private static class Leader implements NodeStateView {
    final LogEntry[] log;

    Leader(LogEntry... log) {
      this.log = log;
    }

    @Override public int id() { return 1; }
    @Override public int[] members() { return new int[] {1, 2, 3, 4, 5}; }
    @Override public long currentTerm() { return 1; }
    @Override public int votedFor() { return 1; }
    @Override public String roleName() { return "Leader"; }
    @Override public long commitIndex() { return 0; }
    @Override public long lastLogIndex() { return log.length; }
    @Override public long logTerm(long index) { return index == 0 ? 0 : 1; }
    @Override public LogEntry logEntry(long index) { return log[(int) index - 1]; }
    @Override public long nextIndex(int peer) { return 1; }
    @Override public long matchIndex(int peer) { return 0; }
    @Override public boolean voteGranted(int peer) { return false; }
  }

  @Test
  void aLeaderDigestsEachCommandOnceAndRecordsNoCommandBytes(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 1, 1);
    byte[] command = new byte[3 * 4096];
    Arrays.fill(command, (byte) 7);
    LogEntry entry = new LogEntry(1, command);
    Leader leader = new Leader(entry);
    List<LogEntry> copies = new java.util.ArrayList<>();
    for (int k = 0; k < 16; k++) {
      copies.add(new LogEntry(1, command.clone()));
    }
    long[] sizes = new long[5];
    try (JournalWriter journal = JournalWriter.create(inc.journal(), header("digests"), 4096)) {
      sizes[0] = journal.size();
      journal.nodeStep(1, TraceAction.ClientRequest, leader, null, null);
      sizes[1] = journal.size();
      journal.nodeStep(2, TraceAction.AppendEntries, leader, null,
          new AppendEntriesRequest(1, 2, 1, 0, 0, List.of(entry), 0));
      sizes[2] = journal.size();
      journal.nodeStep(3, TraceAction.AppendEntries, leader, null,
          new AppendEntriesRequest(1, 3, 1, 0, 0, copies, 0));
      sizes[3] = journal.size();
      journal.nodeStep(4, TraceAction.AppendEntries, leader, null,
          new AppendEntriesRequest(1, 2, 1, 0, 0, copies, 0));
      sizes[4] = journal.size();
    }
    assertTrue(sizes[1] - sizes[0] < 256, "a 12 KB command is recorded as its digest: " + (sizes[1] - sizes[0]));
    // The entry the ClientRequest recorded is a reference. 16 new arrays are digested and written (10 bytes
    // each with their terms); the same 16 arrays at the same indexes again are references (2 bytes each):
    // 128 bytes less.
    assertEquals(recordSize(1, 0), sizes[2] - sizes[1]);
    assertEquals(recordSize(0, 16), sizes[3] - sizes[2]);
    assertEquals(recordSize(16, 0), sizes[4] - sizes[3]);
    assertEquals(16 * 8, (sizes[3] - sizes[2]) - (sizes[4] - sizes[3]));
    assertEquals(4, JournalConverter.finish(inc));
    List<String> lines = Files.readAllLines(inc.trace());
    String value = lines.get(1).replaceAll(".*\"value\":(\"[0-9a-f]{16}\").*", "$1");
    assertEquals("\"" + String.format("%016x", org.raftref.trace.ValueDigest.digest(command)) + "\"", value);
    assertTrue(lines.get(2).contains("\"entries\":[[1," + value + "]]"), lines.get(2));
    assertTrue(lines.get(3).contains("\"entries\":[[1," + value + "],[1," + value + "],"), lines.get(3));
    assertEquals(lines.get(3).replace("\"to\":3", "\"to\":2").replace("\"peer\":3", "\"peer\":2")
        .replace("\"seq\":3", "\"seq\":4"), lines.get(4), "references give the same values");
  }

  /** The bytes of a record of the leader's AppendEntries with entries given by reference and by digest. */
  private static long recordSize(int references, int digests) {
    // Length 4; time (1 more than the last) 1, action 1, state flags 1 (nothing changed), message flags 1;
    // message: type 1, from, to, term, prevLogIndex, prevLogTerm, leaderCommit 1 each, count 1; each entry:
    // its term 1, then a reference (-1) 1, or 8 (a digest follows) 1 and the digest 8. All numbers are small.
    return JournalFormat.align4(4 + 1 + 1 + 1 + 1 + 1 + 6 + 1 + 2L * references + 10L * digests);
  }

  @Test
  void aRecordLargerThanAWindowGetsAWindowOfItsOwn(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 1, 1);
    String hugeRole = "R".repeat(10_000); // only a broken core has another role; it is recorded as it is
    NodeStateView broken = new Leader(new LogEntry(1, new byte[1])) {
      @Override public String roleName() { return hugeRole; }
    };
    try (JournalWriter journal = JournalWriter.create(inc.journal(), header("huge"), 4096)) {
      journal.nodeStep(1, TraceAction.Timeout, broken, null, null);
      journal.nodeStep(2, TraceAction.Timeout, broken, null, null);
      assertTrue(journal.size() > 10_000, "the first record is larger than the window: " + journal.size());
    }
    assertEquals(2, JournalConverter.finish(inc));
    List<String> lines = Files.readAllLines(inc.trace());
    assertTrue(lines.get(1).contains("\"role\":\"" + hugeRole + "\""), lines.get(1).substring(0, 80));
    assertTrue(lines.get(2).contains("\"role\":\"" + hugeRole + "\""), lines.get(2).substring(0, 80));
  }

  @Test
  void aBusyLeadersClientRequestRecordsOnlyWhatChanged(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 1, 1);
    LogEntry first = new LogEntry(1, new byte[100]);
    LogEntry second = new LogEntry(1, new byte[100]);
    long[] sizes = new long[3];
    try (JournalWriter journal = JournalWriter.create(inc.journal(), header("delta"), SMALL_WINDOW)) {
      sizes[0] = journal.size();
      journal.nodeStep(1, TraceAction.ClientRequest, new Leader(first), null, null);
      sizes[1] = journal.size();
      journal.nodeStep(2, TraceAction.ClientRequest, new Leader(first, second), null, null);
      sizes[2] = journal.size();
    }
    // Length 4; time (1 more) 1, action 1; state: flags 1, lastLogIndex +1 1, the last run's end +1 1; message
    // flags 1; the command: 8 (a digest follows) 1 and the digest 8. 19 bytes, padded to 20.
    assertEquals(20, sizes[2] - sizes[1]);
    // The first state is whole: id, term, votedFor, role 4; commitIndex 1; lastLogIndex 1; the runs 3 (count,
    // term, end) instead of 1; nextIndex and matchIndex of 4 peers 8. 34 bytes, padded to 36.
    assertEquals(36, sizes[1] - sizes[0], "the first state is whole");
    assertEquals(2, JournalConverter.finish(inc));
    List<String> lines = Files.readAllLines(inc.trace());
    assertTrue(lines.get(2).endsWith("\"state\":{\"currentTerm\":1,\"votedFor\":1,\"role\":\"Leader\","
        + "\"commitIndex\":0,\"log\":[[1,2]],\"nextIndex\":{\"2\":1,\"3\":1,\"4\":1,\"5\":1},"
        + "\"matchIndex\":{\"2\":0,\"3\":0,\"4\":0,\"5\":0}}}"), lines.get(2));
  }

  @Test
  void aRecordWhoseTimeDoesNotDecodeIsNamedWhenTheNextStartReadsTheLastTime(@TempDir Path dir)
      throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 1, 1);
    long recordAt;
    try (JournalWriter journal = JournalWriter.create(inc.journal(), header("time"), SMALL_WINDOW)) {
      recordAt = journal.size();
      journal.nodeStep(1, TraceAction.ClientRequest, new Leader(new LogEntry(1, new byte[1])), null, null);
    }
    byte[] overlong = new byte[JournalFormat.MAX_NUMBER_BYTES];
    Arrays.fill(overlong, (byte) -1);
    try (FileChannel file = FileChannel.open(inc.journal(), StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap(overlong), recordAt + JournalFormat.RECORD_HEADER);
    }
    try (JournalReader reader = JournalReader.open(inc.journal())) {
      IOException e = assertThrows(IOException.class, reader::lastTime);
      assertTrue(e.getMessage().startsWith(inc.journal() + ": the record at byte " + recordAt
          + " does not start with a time") && e.getMessage().contains("runs over 10 bytes"), e.getMessage());
    }
  }

  @Test
  void refusesAJournalThatIsStillBeingWritten(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 3, 1);
    try (JournalWriter journal = JournalWriter.create(inc.journal(), header("open"), SMALL_WINDOW)) {
      journal.environmentStep(1, TraceAction.Restart, 3, null);
      IOException e = assertThrows(IOException.class, () -> JournalConverter.finish(inc));
      assertTrue(e.getMessage().contains(inc.journal() + " is still being written by a running server"),
          e.getMessage());
    }
    assertEquals(1, JournalConverter.finish(inc));
  }

  @Test
  void refusesWhatIsNotAJournalOrDoesNotDecode(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation notOne = TraceFiles.incarnation(dir, 1, 1);
    Files.writeString(notOne.journal(), "{\"format\":\"raftref-trace\"}\n");
    IOException e = assertThrows(IOException.class, () -> JournalConverter.finish(notOne));
    assertTrue(e.getMessage().contains(notOne.journal() + ": not a trace journal"), e.getMessage());

    TraceFiles.Incarnation old = TraceFiles.incarnation(dir, 5, 1);
    Files.write(old.journal(), "RRJRNL01".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    e = assertThrows(IOException.class, () -> JournalConverter.finish(old));
    assertTrue(e.getMessage().contains(old.journal() + ": a trace journal of an earlier format (RRJRNL01)"),
        e.getMessage());

    TraceFiles.Incarnation cut = TraceFiles.incarnation(dir, 2, 1);
    Files.write(cut.journal(), Arrays.copyOf(JournalFormat.MAGIC, 10));
    e = assertThrows(IOException.class, () -> JournalConverter.finish(cut));
    assertTrue(e.getMessage().contains(cut.journal() + ": its header is cut off"), e.getMessage());

    TraceFiles.Incarnation broken = TraceFiles.incarnation(dir, 3, 1);
    long recordAt;
    try (JournalWriter journal = JournalWriter.create(broken.journal(), header("broken"), SMALL_WINDOW)) {
      journal.environmentStep(1, TraceAction.Restart, 3, null);
      recordAt = journal.size();
      journal.environmentStep(2, TraceAction.Restart, 3, null);
    }
    try (FileChannel file = FileChannel.open(broken.journal(), StandardOpenOption.WRITE)) {
      // The second record's action: after its length and its time (1 more than the first's, a byte).
      file.write(ByteBuffer.wrap(new byte[] {99}).order(ByteOrder.LITTLE_ENDIAN), recordAt + 4 + 1);
    }
    e = assertThrows(IOException.class, () -> JournalConverter.finish(broken));
    assertTrue(e.getMessage().contains(broken.journal() + ": record 2 (at byte " + recordAt + ") does not decode")
        && e.getMessage().contains("no action has number 99"), e.getMessage());
    assertTrue(Files.exists(broken.journal()), "a journal that did not convert stays");

    TraceFiles.Incarnation partial = TraceFiles.incarnation(dir, 4, 1);
    long stateAt;
    try (JournalWriter journal = JournalWriter.create(partial.journal(), header("partial"), SMALL_WINDOW)) {
      stateAt = journal.size() + 4 + 1 + 1; // the first record's state: after its length, time (1) and action
      journal.nodeStep(1, TraceAction.ClientRequest, new Leader(new LogEntry(1, new byte[1])), null, null);
    }
    try (FileChannel file = FileChannel.open(partial.journal(), StandardOpenOption.WRITE)) {
      file.write(ByteBuffer.wrap(new byte[] {JournalFormat.LAST_INDEX}), stateAt);
    }
    e = assertThrows(IOException.class, () -> JournalConverter.finish(partial));
    assertTrue(e.getMessage().contains("record 1 (at byte") && e.getMessage().contains("the first state holds only"),
        e.getMessage());
  }
}
