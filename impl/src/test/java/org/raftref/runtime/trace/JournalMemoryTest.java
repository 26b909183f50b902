package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.sim.FaultMix;
import org.raftref.sim.FaultSchedule;
import org.raftref.sim.RandomSchedules;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;

/**
 * A journal kept in memory ({@link JournalMemory}): linked from the trace directory, continued on the disk
 * past its limit, converted to the same bytes as one on the disk, and gone from memory once converted; what a
 * killed writer left in both places converts to the events before the kill; a link whose file is gone is an
 * error that names it, never an incarnation silently skipped.
 */
class JournalMemoryTest {

  private static final int SMALL_WINDOW = JournalTest.SMALL_WINDOW;

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> listed = Files.list(dir)) {
      return listed.sorted().toList();
    }
  }

  @Test
  void aJournalInMemoryContinuesOnTheDiskPastItsLimitAndConvertsToTheSameBytes(@TempDir Path dir)
      throws IOException {
    Path memory = Files.createDirectories(dir.resolve("memory"));
    Path traces = Files.createDirectories(dir.resolve("traces"));
    long[] limits = {4 * SMALL_WINDOW, 1L << 30}; // passed about half-way through the run; never reached
    for (int k = 0; k < limits.length; k++) {
      long seed = 5 + k;
      boolean passesLimit = k == 0;
      FaultSchedule schedule = RandomSchedules.generate(seed, 5, 20_000, FaultMix.ALL).schedule();
      TraceFiles.Incarnation inc = TraceFiles.incarnation(traces, 1, k + 1);
      TraceHeader header = JournalTest.header("JournalMemoryTest seed " + seed);
      JournalMemory.Placement placement = new JournalMemory(memory, limits[k]).place(Long.MAX_VALUE);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      long events;
      try (NdjsonSink ndjson = new NdjsonSink(expected, "memory", header);
          JournalWriter journal = JournalWriter.create(inc.journal(), header, SMALL_WINDOW, placement)) {
        JournalTest.Tee tee = new JournalTest.Tee(ndjson, journal);
        ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, tee);
        events = tee.events;
        assertTrue(Files.isSymbolicLink(inc.journal()), "the trace directory links to the journal");
        Path inMemory = Files.readSymbolicLink(inc.journal());
        assertEquals(List.of(inMemory), files(memory));
        assertTrue(Files.size(inMemory) <= limits[k], "seed " + seed + ": " + Files.size(inMemory));
        assertEquals(passesLimit, Files.exists(inc.continuation()), "seed " + seed);
        if (passesLimit) {
          assertTrue(journal.size() > limits[k] + SMALL_WINDOW, "it went on for windows: " + journal.size());
        }
        IOException open = assertThrows(IOException.class, () -> JournalConverter.finish(inc));
        assertTrue(open.getMessage().contains("is still being written by a running server"), open.getMessage());
      }
      assertEquals(events, JournalConverter.finish(inc));
      assertArrayEquals(expected.toByteArray(), Files.readAllBytes(inc.trace()), "seed " + seed);
      assertEquals(JournalTest.timesUpTo(events), Files.readString(inc.clock()), "seed " + seed);
      assertEquals(List.of(), files(memory), "seed " + seed + ": the file in memory is deleted");
      assertFalse(Files.exists(inc.journal(), java.nio.file.LinkOption.NOFOLLOW_LINKS), "and the link");
      assertFalse(Files.exists(inc.continuation()), "and the continuation");
    }
  }

  @Test
  void whatAKilledWriterLeftInMemoryAndOnTheDiskConvertsToTheEventsBeforeTheKill(@TempDir Path dir)
      throws IOException {
    Path memory = Files.createDirectories(dir.resolve("memory"));
    long seed = 11;
    long killAfter = 777;
    FaultSchedule schedule = RandomSchedules.generate(seed, 5, 5_000, FaultMix.ALL).schedule();
    TraceFiles.Incarnation running = TraceFiles.incarnation(dir, 1, 1);
    TraceFiles.Incarnation killed = TraceFiles.incarnation(dir, 2, 1);
    TraceHeader header = JournalTest.header("JournalMemoryTest kill");
    JournalMemory.Placement placement = new JournalMemory(memory, SMALL_WINDOW).place(Long.MAX_VALUE);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    try (NdjsonSink ndjson = new NdjsonSink(whole, "memory", header);
        JournalWriter journal = JournalWriter.create(running.journal(), header, SMALL_WINDOW, placement)) {
      JournalTest.Tee tee = new JournalTest.Tee(ndjson, journal) {
        @Override
        void afterEvent() {
          if (events == killAfter) {
            try {
              // Both parts as a kill -9 would leave them: the file in memory, linked, and the continuation.
              assertTrue(Files.exists(running.continuation()), "the kill comes after the limit");
              Path copy = memory.resolve("killed-copy");
              Files.copy(running.journal(), copy);
              Files.createSymbolicLink(killed.journal(), copy);
              Files.copy(running.continuation(), killed.continuation());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        }
      };
      ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, tee);
      assertTrue(tee.events > killAfter);
    }
    try (JournalReader reader = JournalReader.open(killed.journal())) {
      assertEquals(10 * killAfter, reader.lastTime(), "the next start's clock continues from both parts");
    }
    assertEquals(killAfter, JournalConverter.finish(killed));
    List<String> expected = Arrays.asList(whole.toString(StandardCharsets.US_ASCII).split("\n"));
    assertEquals(expected.subList(0, (int) killAfter + 1), Files.readAllLines(killed.trace()));
    assertEquals(JournalTest.timesUpTo(killAfter), Files.readString(killed.clock()));
    assertFalse(Files.exists(memory.resolve("killed-copy")));
  }

  @Test
  void aLinkWhoseFileInMemoryIsGoneIsAnErrorNotASkippedRun(@TempDir Path dir) throws IOException {
    Path traces = Files.createDirectories(dir.resolve("traces"));
    TraceFiles.Incarnation lost = TraceFiles.incarnation(traces, 2, 1);
    Path gone = dir.resolve("memory").resolve("raftref-node-2.1.journal-123");
    Files.createSymbolicLink(lost.journal(), gone);
    String expected = lost.journal() + " links to " + gone + ", which is gone: the journal of node 2's run 1 was "
        + "kept in memory, and the machine restarted (or the file was deleted) before it was converted, so that "
        + "run's events are lost. Delete the link (and node-2.1.journal-continued, if there) to go on without them";

    IOException converting = assertThrows(IOException.class, () -> JournalConverter.finish(lost));
    assertEquals(expected, converting.getMessage());
    IOException merging = assertThrows(IOException.class, () -> LamportMerge.merge(traces, dir.resolve("m")));
    assertEquals(expected, merging.getMessage());
    IOException restarting = assertThrows(IOException.class, () -> TraceOutput.open(traces, 2, List.of(1, 2), 64));
    assertEquals(expected, restarting.getMessage());

    Files.delete(lost.journal());
    try (TraceOutput again = TraceOutput.open(traces, 2, List.of(1, 2), 64)) {
      assertFalse(again.restarted(), "without the link, the lost run is forgotten");
    }
  }

  @Test
  void aServerKeepsItsJournalInMemoryOnlyWithRoomForTwiceTheLimit(@TempDir Path dir) throws IOException {
    JournalMemory hundred = new JournalMemory(dir, 100L << 20);
    JournalMemory.Placement fits = hundred.place(200L << 20);
    assertEquals(dir, fits.memoryDir());
    assertEquals(100L << 20, fits.limitBytes());
    assertEquals("journal in memory (" + dir + ", up to 100 MB, then on the disk)", fits.describe());

    JournalMemory.Placement tight = hundred.place((200L << 20) - 1);
    assertNull(tight.memoryDir());
    assertEquals("journal on the disk: " + dir + " has 199 MB free, less than twice the memory limit of 100 MB",
        tight.describe());

    assertEquals(JournalMemory.Placement.DISK, JournalMemory.NONE.place());
    JournalMemory.Placement missing = new JournalMemory(dir.resolve("missing"), 100L << 20).place();
    assertNull(missing.memoryDir());
    assertEquals("journal on the disk: " + dir.resolve("missing") + " is not a writable directory",
        missing.describe());

    for (long bad : new long[] {-1, 1, 4095}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> new JournalMemory(dir, bad));
      assertEquals("a journal's memory limit is 0 (none) or at least 4096 bytes (a page), was " + bad,
          e.getMessage());
    }

    try (TraceOutput output = TraceOutput.open(dir.resolve("traces"), 1, List.of(1, 2), 64,
        new JournalMemory(Files.createDirectories(dir.resolve("memory")), JournalMemory.MIN_LIMIT_BYTES))) {
      assertTrue(output.journalPlacement().startsWith("journal in memory ("), output.journalPlacement());
      assertTrue(Files.isSymbolicLink(TraceFiles.journalFile(dir.resolve("traces"), 1, 1)));
    }
    assertEquals(List.of(), files(dir.resolve("memory")), "closing converts it and deletes the file in memory");
  }
}
