package org.raftref.tracecheck.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;

/** {@link TraceMerger} puts per-node traces back into an order where every receive follows its send. */
class TraceMergerTest {

  @TempDir
  Path dir;

  private List<Trace> splitByNode(Path whole, List<Integer> order) throws TraceInputException {
    List<Trace> traces = new ArrayList<>();
    for (Path file : TestTraces.splitByNode(whole, dir, order)) {
      traces.add(TraceReader.read(file));
    }
    return traces;
  }

  @Test
  void splitTraceMergesBackKeepingEachFilesOrderAndCausality() throws TraceInputException {
    Path whole = TestTraces.write(dir, "whole.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    // Node 3's file first: a merger that ignored causality would start with its receives.
    List<Trace> parts = splitByNode(whole, List.of(3, 2, 1));
    Trace merged = TraceMerger.merge(parts);

    int total = parts.stream().mapToInt(t -> t.events().size()).sum();
    assertEquals(total, merged.events().size());
    assertEquals(TraceReader.read(whole).events().size(), total);
    for (Trace part : parts) {
      List<TraceEvent> own = merged.events().stream().filter(e -> e.file().equals(part.files().get(0))).toList();
      assertEquals(part.events(), own, "each file's order is kept");
    }
    assertEveryReceiveFollowsItsPersistedSend(merged.events());
  }

  /**
   * A leader's AppendEntries is in the network from its AppendEntries event on (thesis §10.2.1), so its
   * receivers can be placed even though the leader crashed before any Persist followed that event.
   */
  @Test
  void aLeadersRequestNeedsNoPersistOfItsSender() throws TraceInputException {
    Path whole = TestTraces.write(dir, "whole.ndjson", TestTraces.LEADER_CRASH_DURING_WRITE);
    List<Trace> parts = splitByNode(whole, List.of(2, 3, 1));
    Trace merged = TraceMerger.merge(parts);
    assertEquals(TraceReader.read(whole).events().size(), merged.events().size());
    assertEveryReceiveFollowsItsPersistedSend(merged.events());
  }

  /**
   * Checked independently of the merger's bookkeeping: for every event that looks at a message m, some
   * earlier event of m's sender sent m (or, for a vote request, timed out into m's term) and a Persist of the
   * sender lies between that send and the receive — or m is an AppendEntriesRequest, which needs no Persist.
   */
  private static void assertEveryReceiveFollowsItsPersistedSend(List<TraceEvent> events) {
    for (int p = 0; p < events.size(); p++) {
      TraceEvent receive = events.get(p);
      TracedMessage m = receive.received() != null ? receive.received() : receive.message();
      if (m == null) {
        continue;
      }
      boolean persistedSend = false;
      boolean sentBefore = false;
      for (int q = 0; q < p && !persistedSend; q++) {
        TraceEvent e = events.get(q);
        if (e.node() != m.from()) {
          continue;
        }
        if (m.equals(e.sent()) && m instanceof TracedMessage.AppendEntriesRequest) {
          persistedSend = true;
        } else if (m.equals(e.sent()) || (e.action() == TraceAction.Timeout
            && m instanceof TracedMessage.RequestVoteRequest && e.state() != null
            && e.state().currentTerm() == m.term())) {
          sentBefore = true;
        } else if (sentBefore && e.action() == TraceAction.Persist) {
          persistedSend = true;
        }
      }
      assertTrue(persistedSend, receive.where() + " (" + receive.action() + ", merged position " + p
          + ") receives " + m + " before its sender persisted it");
    }
  }

  @Test
  void aSingleTraceIsItsOwnMerge() throws TraceInputException {
    Trace trace = TraceReader.read(TestTraces.write(dir, "one.ndjson", TestTraces.ELECTION_COMMIT_FAULTS));
    assertSame(trace, TraceMerger.merge(List.of(trace)));
  }

  @Test
  void receiveOfAMessageNobodySentCannotBeMerged() throws TraceInputException {
    Path whole = TestTraces.write(dir, "whole.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    // Without node 1's file nobody sends what nodes 2 and 3 receive.
    List<Trace> parts = splitByNode(whole, List.of(2, 3));
    TraceInputException e = assertThrows(TraceInputException.class, () -> TraceMerger.merge(parts));
    assertEquals("cannot merge 2 traces: no file's next event can go, because each receives a message no file "
        + "has sent (and persisted) before it: " + dir.resolve("node2.ndjson") + " line 2 (UpdateTerm) waits for "
        + "RequestVoteRequest from 1 to 2 in term 1; " + dir.resolve("node3.ndjson") + " line 2 (UpdateTerm) "
        + "waits for RequestVoteRequest from 1 to 3 in term 1", e.getMessage());
  }

  @Test
  void tracesOfDifferentClustersAreNotMerged() throws TraceInputException {
    Path whole = TestTraces.write(dir, "whole.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    List<String> lines = new ArrayList<>(TestTraces.lines(whole));
    lines.set(0, lines.get(0).replace("\"maxEntriesPerAppend\":2", "\"maxEntriesPerAppend\":5"));
    Trace other = TraceReader.read(TestTraces.writeLines(dir.resolve("other.ndjson"), lines));
    Trace trace = TraceReader.read(whole);
    TraceInputException e = assertThrows(TraceInputException.class, () -> TraceMerger.merge(List.of(trace, other)));
    assertTrue(e.getMessage().startsWith(other.name() + ": its cluster (members [1, 2, 3], maxEntriesPerAppend 5)"
        + " differs from that of " + trace.name()), e.getMessage());
  }
}
