package org.raftref.tracecheck.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.sim.FaultMix;
import org.raftref.sim.RandomSchedules;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;
import org.raftref.tracecheck.trace.LogRun;
import org.raftref.tracecheck.trace.NodeState;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TracedEntry;
import org.raftref.tracecheck.trace.TracedMessage;

/**
 * Traces for the viewer's tests: seeded simulator runs (real traces of any length), and hand-built event
 * sequences for the network replay's corner cases. The hand-built ones have the shape the reader guarantees
 * (every field its action has) but not necessarily steps the spec allows: the replay must cope with both.
 */
final class ViewerTraces {

  private ViewerTraces() {}

  /**
   * Runs the simulator as {@code simulator --seed SEED --nodes NODES --duration MILLISms --faults all
   * --trace FILE} does, and returns the trace file {@code dir/name}.
   */
  static Path simulatorTrace(Path dir, String name, long seed, int nodes, long durationMillis) {
    RandomSchedules.Generated generated = RandomSchedules.generate(seed, nodes, durationMillis, FaultMix.ALL);
    int size = generated.schedule().nodes();
    List<Integer> members = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      members.add(i);
    }
    SimParams params = SimParams.DEFAULTS;
    Path file = dir.resolve(name);
    try (NdjsonSink sink = NdjsonSink.toFile(file, new TraceHeader(members, params.maxEntriesPerAppend(),
        "simulator --seed " + seed + " --nodes " + size + " --duration " + durationMillis + "ms --faults all"))) {
      ScheduledRun.run(seed, generated.schedule(), params, sink);
    }
    return file;
  }

  /** Builds a trace event by event; positions are 1-based like the viewer's. */
  static final class Builder {
    private final List<Integer> members;
    private final List<TraceEvent> events = new ArrayList<>();

    Builder(Integer... members) {
      this.members = List.of(members);
    }

    Trace build() {
      return new Trace(List.of(Path.of("hand.ndjson")), new TraceHeader(members, 4, "hand-built"), events);
    }

    private Builder add(TraceAction action, int node, int peer, @Nullable TracedMessage recv,
        @Nullable TracedMessage sent, @Nullable TracedMessage msg, @Nullable NodeState state) {
      int seq = events.size() + 1;
      events.add(new TraceEvent(Path.of("hand.ndjson"), seq + 1, seq, action, node, peer, null, recv, sent, msg,
          state));
      return this;
    }

    Builder timeout(int node, int term) {
      return add(TraceAction.Timeout, node, 0, null, null, null, candidate(term, node));
    }

    Builder appendEntries(int leader, TracedMessage.AppendEntriesRequest sent) {
      return add(TraceAction.AppendEntries, leader, sent.to(), null, sent, null, leader(sent.term()));
    }

    Builder persist(int node, int term) {
      return add(TraceAction.Persist, node, 0, null, null, null, follower(term));
    }

    Builder handleAppendEntriesRequest(int node, TracedMessage.AppendEntriesRequest recv) {
      TracedMessage reply = new TracedMessage.AppendEntriesResponse(node, recv.from(), recv.term(), true,
          recv.prevLogIndex() + recv.entries().size(), 0, 0);
      return add(TraceAction.HandleAppendEntriesRequest, node, recv.from(), recv, reply, null, follower(recv.term()));
    }

    Builder handleRequestVoteRequest(int node, TracedMessage.RequestVoteRequest recv) {
      TracedMessage reply = new TracedMessage.RequestVoteResponse(node, recv.from(), recv.term(), true);
      return add(TraceAction.HandleRequestVoteRequest, node, recv.from(), recv, reply, null, follower(recv.term()));
    }

    Builder updateTerm(int node, TracedMessage recv) {
      return add(TraceAction.UpdateTerm, node, recv.from(), recv, null, null, follower(recv.term()));
    }

    Builder drop(TracedMessage m) {
      return add(TraceAction.DropMessage, 0, 0, null, null, m, null);
    }

    Builder duplicate(TracedMessage m) {
      return add(TraceAction.DuplicateMessage, 0, 0, null, null, m, null);
    }

    Builder restart(int node) {
      return add(TraceAction.Restart, node, 0, null, null, null, null);
    }

    private static NodeState follower(int term) {
      return new NodeState(term, 0, "Follower", 0, List.of(), new TreeMap<>(), new TreeMap<>(), new TreeSet<>());
    }

    private static NodeState candidate(int term, int self) {
      return new NodeState(term, self, "Candidate", 0, List.of(new LogRun(1, 2)), new TreeMap<>(), new TreeMap<>(),
          new TreeSet<>(List.of(self)));
    }

    private NodeState leader(int term) {
      SortedMap<Integer, Integer> perPeer = new TreeMap<>();
      return new NodeState(term, 0, "Leader", 0, List.of(), perPeer, perPeer, new TreeSet<>());
    }
  }

  /** An AppendEntriesRequest with no entries (a heartbeat): two with equal fields are copies of one message. */
  static TracedMessage.AppendEntriesRequest heartbeat(int from, int to, int term) {
    return new TracedMessage.AppendEntriesRequest(from, to, term, 0, 0, List.<TracedEntry>of(), 0);
  }
}
