package org.raftref.tracecheck.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;
import org.raftref.tracecheck.trace.TestTraces;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceReader;
import org.raftref.tracecheck.trace.TracedMessage;

/** Pairing sends with receives: {@link NetworkReplay} and the rule of docs/trace-viewer.md. */
class NetworkReplayTest {

  @TempDir
  Path dir;

  @Test
  void identicalMessagesPairFirstInFirstOut() {
    TracedMessage.AppendEntriesRequest hb = ViewerTraces.heartbeat(1, 2, 1);
    Trace trace = new ViewerTraces.Builder(1, 2)
        .appendEntries(1, hb).persist(1, 1)          // 1, 2: first copy enters the network at 1
        .appendEntries(1, hb).persist(1, 1)          // 3, 4: an equal message, a second copy
        .handleAppendEntriesRequest(2, hb)           // 5
        .handleAppendEntriesRequest(2, hb)           // 6
        .build();
    List<Flight> flights = flightsOf(NetworkReplay.replay(trace), TracedMessage.AppendEntriesRequest.class);
    assertEquals(2, flights.size());
    assertEquals(List.of(1, 1, 5), List.of(flights.get(0).createdAt(), flights.get(0).sentAt(), flights.get(0).endAt()));
    assertEquals(List.of(3, 3, 6), List.of(flights.get(1).createdAt(), flights.get(1).sentAt(), flights.get(1).endAt()));
  }

  @Test
  void aDuplicateIsACopyThatEntersTheNetworkAtTheDuplicateEvent() {
    TracedMessage.AppendEntriesRequest hb = ViewerTraces.heartbeat(1, 2, 1);
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2)
        .appendEntries(1, hb).persist(1, 1)          // 1, 2
        .duplicate(hb)                               // 3
        .handleAppendEntriesRequest(2, hb)           // 4: takes the original, in the network since 1
        .drop(hb)                                    // 5: drops the copy
        .build());
    List<Flight> requests = flightsOf(flows, TracedMessage.AppendEntriesRequest.class);
    Flight original = requests.get(0);
    Flight copy = requests.get(1);
    assertEquals(Flight.Fate.RECEIVED, original.fate());
    assertEquals(4, original.endAt());
    assertEquals(original.id(), copy.duplicateOf());
    assertEquals(3, copy.createdAt());
    assertEquals(3, copy.sentAt());
    assertEquals(Flight.Fate.DROPPED, copy.fate());
    assertEquals(5, copy.endAt());
    assertEquals(1, flows.duplicates());
    assertEquals(List.of(), flows.anomalies());
  }

  @Test
  void aTimeoutSendsAVoteRequestToEveryPeerFromItsPostState() {
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2, 3).timeout(2, 5).persist(2, 5).build());
    assertEquals(List.of(new TracedMessage.RequestVoteRequest(2, 1, 5, 1, 2),
            new TracedMessage.RequestVoteRequest(2, 3, 5, 1, 2)),
        flows.flights().stream().map(Flight::message).toList());
    for (Flight f : flows.flights()) {
      assertEquals(1, f.createdAt());
      assertEquals(2, f.sentAt());
      assertEquals(Flight.Fate.IN_FLIGHT_AT_END, f.fate());
    }
  }

  @Test
  void aRestartLosesTheOutboxAndOnlyTheOutbox() {
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2)
        .timeout(1, 1).persist(1, 1)                 // 1, 2: a vote request in the network
        .timeout(1, 2)                               // 3: a vote request in the outbox
        .restart(1)                                  // 4
        .build());
    assertEquals(Flight.Fate.IN_FLIGHT_AT_END, flows.flights().get(0).fate());
    assertEquals(Flight.Fate.LOST_AT_RESTART, flows.flights().get(1).fate());
    assertEquals(4, flows.flights().get(1).endAt());
    assertEquals(0, flows.flights().get(1).sentAt());
  }

  /**
   * A leader's AppendEntriesRequest skips the outbox (thesis §10.2.1): it is in the network from its own
   * step, so it may be received before the leader's next Persist, and a Restart of the leader does not lose it.
   */
  @Test
  void aLeadersRequestIsInTheNetworkFromItsOwnStep() {
    TracedMessage.AppendEntriesRequest hb = ViewerTraces.heartbeat(1, 2, 1);
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2)
        .appendEntries(1, hb)                        // 1: in the network at once
        .restart(1)                                  // 2: the leader crashes before any Persist
        .handleAppendEntriesRequest(2, hb)           // 3: received all the same
        .build());
    Flight request = flightsOf(flows, TracedMessage.AppendEntriesRequest.class).get(0);
    assertEquals(List.of(1, 1, 3), List.of(request.createdAt(), request.sentAt(), request.endAt()));
    assertEquals(Flight.Fate.RECEIVED, request.fate());
    assertEquals(List.of(), flows.anomalies());
  }

  @Test
  void updateTermLooksAtTheCopyItsHandlerThenTakes() {
    TracedMessage.AppendEntriesRequest hb = ViewerTraces.heartbeat(1, 2, 3);
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2)
        .appendEntries(1, hb).persist(1, 3).updateTerm(2, hb).handleAppendEntriesRequest(2, hb).build());
    Flight request = flows.flights().get(0);
    assertEquals(3, request.lookedAt());
    assertEquals(4, request.endAt());
  }

  @Test
  void aReceiveBeforeTheSenderPersistedIsPairedWithTheOutboxCopyAndReported() {
    TracedMessage.RequestVoteRequest vote = new TracedMessage.RequestVoteRequest(1, 2, 1, 1, 2);
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2)
        .timeout(1, 1).handleRequestVoteRequest(2, vote).build());
    Flight request = flows.flights().get(0);
    assertTrue(request.receivedUnsent());
    assertEquals(2, request.endAt());
    assertEquals(1, flows.anomalies().size());
    assertEquals(2, flows.anomalies().get(0).eventIndex());
    assertEquals("receives a RequestVoteRequest from 1 to 2 in term 1 from node 1's outbox: node 1 had not"
        + " persisted since it produced it (event 1), so it was never sent", flows.anomalies().get(0).text());
  }

  @Test
  void eventsWhoseMessageIsNowhereAreReportedNotPaired() {
    TracedMessage.AppendEntriesRequest hb = ViewerTraces.heartbeat(1, 2, 1);
    MessageFlows flows = NetworkReplay.replay(new ViewerTraces.Builder(1, 2)
        .handleAppendEntriesRequest(2, hb).drop(hb).duplicate(hb).build());
    // Only the reply the handler produced is a flight; the three events are anomalies.
    assertEquals(1, flows.flights().size());
    assertEquals(List.of(1, 2, 3), flows.anomalies().stream().map(MessageFlows.Anomaly::eventIndex).toList());
    assertTrue(flows.anomalies().get(0).text().endsWith("no copy of it is in the network or in node 1's outbox"),
        flows.anomalies().get(0).text());
    assertTrue(flows.anomalies().get(1).text().startsWith("drops an AppendEntriesRequest"));
    assertTrue(flows.anomalies().get(2).text().startsWith("duplicates an AppendEntriesRequest"));
  }

  /** A hand-driven trace with an election, commits, a duplicate, a drop and a restart. */
  @Test
  void everyNetworkEventOfAHandDrivenTraceIsAccountedFor() throws TraceInputException {
    Trace trace = TraceReader.read(TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS));
    MessageFlows flows = NetworkReplay.replay(trace);
    assertEquals(List.of(), flows.anomalies());
    assertEquals(1, flows.countByFate().get(Flight.Fate.DROPPED));
    assertEquals(1, flows.duplicates());
    assertEveryEventAccountedFor(trace, flows);
  }

  /** Seeded simulator runs under every kind of fault: crashes, partitions, loss, duplication, reordering. */
  @Test
  void everyNetworkEventOfSimulatorTracesIsAccountedFor() throws TraceInputException {
    for (long seed : new long[] {3, 11, 42}) {
      Path file = ViewerTraces.simulatorTrace(dir, "sim-" + seed + ".ndjson", seed, 0, 4_000);
      Trace trace = TraceReader.read(file);
      MessageFlows flows = NetworkReplay.replay(trace);
      String replay = " (seed " + seed + "; replay: mvn -B -q -pl impl exec:java -Dexec.args=\"--seed " + seed
          + " --duration 4000ms --faults all --trace sim.ndjson\")";
      assertEquals(List.of(), flows.anomalies(), "a simulator trace the spec accepts has no anomalies" + replay);
      assertEveryEventAccountedFor(trace, flows);
    }
  }

  /**
   * The pairing agrees with the events: each receive, drop and look is the end (or look) of exactly one copy
   * of its message; each copy was produced by its sender, sent by its sender's Persist, and ended after that.
   */
  private static void assertEveryEventAccountedFor(Trace trace, MessageFlows flows) {
    List<TraceEvent> events = trace.events();
    Map<Integer, Integer> endedAt = new HashMap<>();
    Map<Integer, Integer> lookedAt = new HashMap<>();
    int duplicatesMade = 0;
    for (Flight f : flows.flights()) {
      TracedMessage m = f.message();
      if (f.duplicateOf() >= 0) {
        duplicatesMade++;
        TraceEvent dup = events.get(f.createdAt() - 1);
        assertEquals(TraceAction.DuplicateMessage, dup.action());
        assertEquals(m, dup.message());
        assertEquals(m, flows.flights().get(f.duplicateOf()).message());
      } else {
        TraceEvent producer = events.get(f.createdAt() - 1);
        assertEquals(m.from(), producer.node(), "copy " + f + " produced by its sender");
        if (producer.action() != TraceAction.Timeout) {
          assertEquals(m, producer.sent());
        }
        if (f.sentAt() > 0 && m instanceof TracedMessage.AppendEntriesRequest) {
          assertEquals(f.createdAt(), f.sentAt(), "a leader's request is in the network from its own step");
        } else if (f.sentAt() > 0) {
          TraceEvent persist = events.get(f.sentAt() - 1);
          assertEquals(TraceAction.Persist, persist.action());
          assertEquals(m.from(), persist.node());
          assertTrue(f.createdAt() < f.sentAt());
        }
      }
      if (f.endAt() > 0) {
        assertTrue(f.sentAt() < f.endAt() || f.sentAt() == 0, "ends after it was sent: " + f);
        assertEquals(null, endedAt.put(f.endAt(), f.id()), "one copy per ending event");
        TraceEvent end = events.get(f.endAt() - 1);
        switch (f.fate()) {
          case RECEIVED -> assertEquals(m, end.received());
          case DROPPED -> assertEquals(m, end.message());
          case LOST_AT_RESTART -> assertEquals(TraceAction.Restart, end.action());
          default -> throw new AssertionError("a copy that outlived the trace has no end: " + f);
        }
      }
      if (f.lookedAt() > 0) {
        assertEquals(null, lookedAt.put(f.lookedAt(), f.id()));
        assertEquals(m, events.get(f.lookedAt() - 1).received());
      }
    }
    List<Integer> receives = new ArrayList<>();
    int duplicateEvents = 0;
    for (int k = 1; k <= events.size(); k++) {
      TraceEvent e = events.get(k - 1);
      String name = e.action().name();
      if (name.startsWith("Handle") || e.action() == TraceAction.DropMessage) {
        receives.add(k);
        assertNotNull(endedAt.get(k), "event " + k + " (" + e.action() + ") consumed a copy");
      }
      if (e.action() == TraceAction.UpdateTerm) {
        assertNotNull(lookedAt.get(k), "event " + k + " (UpdateTerm) looked at a copy");
      }
      if (e.action() == TraceAction.DuplicateMessage) {
        duplicateEvents++;
      }
    }
    assertEquals(duplicateEvents, duplicatesMade);
    assertTrue(receives.size() > 0);
  }

  private static List<Flight> flightsOf(MessageFlows flows, Class<?> type) {
    return flows.flights().stream().filter(f -> type.isInstance(f.message())).toList();
  }
}
