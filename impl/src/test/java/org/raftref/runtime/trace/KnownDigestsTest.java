package org.raftref.runtime.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.trace.ValueDigest;

/**
 * The journal records the digest another thread took of a command ({@link KnownDigests}) for that very
 * array only. The digests given here are deliberately not the commands' digests, so that the trace shows
 * which one was recorded.
 */
class KnownDigestsTest {

  private static final TraceHeader HEADER = new TraceHeader(List.of(1, 2), 64, "KnownDigestsTest");

  /** A follower of term 1 whose log holds {@code entries}. */
  private static NodeStateView follower(List<LogEntry> entries) {
    return new NodeStateView() {
      @Override public int id() { return 2; }
      @Override public int[] members() { return new int[] {1, 2}; }
      @Override public long currentTerm() { return 1; }
      @Override public int votedFor() { return 1; }
      @Override public String roleName() { return "Follower"; }
      @Override public long commitIndex() { return 0; }
      @Override public long lastLogIndex() { return entries.size(); }
      @Override public long logTerm(long index) { return index == 0 ? 0 : 1; }
      @Override public LogEntry logEntry(long index) { return entries.get((int) index - 1); }
      @Override public long nextIndex(int peer) { return 0; }
      @Override public long matchIndex(int peer) { return 0; }
      @Override public boolean voteGranted(int peer) { return false; }
    };
  }

  private static String hex(long digest) {
    return String.format("\"%016x\"", digest);
  }

  /** The values of the entries of the AppendEntries request that line {@code line} of the trace received. */
  private static List<String> receivedValues(String line) {
    String entries = line.replaceAll(".*\"entries\":\\[\\[(.*?)\\]\\].*", "$1");
    List<String> values = new ArrayList<>();
    for (String entry : entries.split("\\],\\[")) {
      values.add(entry.substring(entry.indexOf(',') + 1));
    }
    return values;
  }

  @Test
  void aDigestGivenForAnArrayIsRecordedForThatArrayAndNoOther(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 2, 1);
    byte[] given = {1, 2, 3};
    byte[] equalButAnotherArray = given.clone();
    byte[] skipped = {4};
    byte[] afterTheSkipped = {5};
    byte[] noOp = {};
    byte[] neverGiven = {6};
    List<LogEntry> entries = List.of(new LogEntry(1, given), new LogEntry(1, equalButAnotherArray),
        new LogEntry(1, noOp), new LogEntry(1, afterTheSkipped), new LogEntry(1, neverGiven));
    KnownDigests known;
    try (JournalWriter journal = JournalWriter.create(inc.journal(), HEADER, 4096)) {
      known = journal.knownDigests();
      known.clear();
      known.add(given, 0x1111L);
      known.add(noOp, 0x2222L); // the journal records no digest for an empty command, and skips it
      known.add(skipped, 0x3333L); // never recorded: the journal looks past it
      known.add(afterTheSkipped, 0x4444L);
      journal.nodeStep(1, TraceAction.HandleAppendEntriesRequest, follower(entries),
          new AppendEntriesRequest(1, 2, 1, 0, 0, entries, 0), null);
      known.clear();
      known.add(given, 0x5555L); // cleared, then given again: a later step takes the new digest
      // (at another index: at index 1 again the journal would refer to the value it recorded there)
      List<LogEntry> again = new ArrayList<>(entries);
      again.add(new LogEntry(1, given));
      journal.nodeStep(2, TraceAction.HandleAppendEntriesRequest, follower(again),
          new AppendEntriesRequest(1, 2, 1, 5, 1, again.subList(5, 6), 0), null);
    }
    assertEquals(2, JournalConverter.finish(inc));
    List<String> lines = Files.readAllLines(inc.trace());
    assertEquals(List.of(hex(0x1111L), hex(ValueDigest.digest(equalButAnotherArray)), "\"\"", hex(0x4444L),
        hex(ValueDigest.digest(neverGiven))), receivedValues(lines.get(1)));
    assertEquals(List.of(hex(0x5555L)), receivedValues(lines.get(2)));
    assertEquals(3, known.taken());
    assertEquals(2, known.computed());
  }

  @Test
  void aDigestLookedPastIsNotTakenLater(@TempDir Path dir) throws IOException {
    TraceFiles.Incarnation inc = TraceFiles.incarnation(dir, 2, 1);
    byte[] first = {1};
    byte[] second = {2};
    // Recorded in the opposite order to the one given: the second is found, and the first, behind it, is not.
    List<LogEntry> entries = List.of(new LogEntry(1, second), new LogEntry(1, first));
    try (JournalWriter journal = JournalWriter.create(inc.journal(), HEADER, 4096)) {
      journal.knownDigests().add(first, 0x1111L);
      journal.knownDigests().add(second, 0x2222L);
      journal.nodeStep(1, TraceAction.HandleAppendEntriesRequest, follower(entries),
          new AppendEntriesRequest(1, 2, 1, 0, 0, entries, 0), null);
    }
    JournalConverter.finish(inc);
    assertEquals(List.of(hex(0x2222L), hex(ValueDigest.digest(first))),
        receivedValues(Files.readAllLines(inc.trace()).get(1)));
  }
}
