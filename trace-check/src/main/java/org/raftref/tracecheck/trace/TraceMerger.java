package org.raftref.tracecheck.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;

/**
 * Merges traces written separately (one per server process, say) into one order that the spec can replay:
 * each file's order is kept, and no event looks at a message before the network has it. The rule is in
 * docs/trace-format.md, "Order":
 *
 * <ul>
 *   <li>a message enters the network at the sender's {@code Persist} after the step that put it into the
 *       outbox ({@code sent}, or for {@code Timeout} a RequestVoteRequest to every peer), and once more at
 *       each {@code DuplicateMessage}; {@code Restart} loses what the node had not persisted. A leader's
 *       AppendEntriesRequest enters the network at its {@code AppendEntries} step (spec: AppendEntriesBatch
 *       sends it at once, so the leader's write overlaps replication);</li>
 *   <li>an event that looks at a message ({@code recv}, {@code msg}) waits until a copy is in the network;
 *       a handler and {@code DropMessage} take that copy out;</li>
 *   <li>the merger goes round the files in the order given, placing the next event of each file that can go.
 *   </li>
 * </ul>
 *
 * Nodes share nothing but the network, so any order that keeps each file's order and this rule is as good as
 * the real one for the spec. If no file's next event can go, the traces do not fit together, and the merge
 * fails naming the events that wait and for what.
 */
public final class TraceMerger {

  /** Copies of each message in the network. Looked up, never iterated: hash order cannot leak out. */
  private final Map<TracedMessage, Integer> network = new HashMap<>();
  /** Per node, what it has sent and not yet persisted. */
  private final Map<Integer, List<TracedMessage>> outbox = new TreeMap<>();
  /** The cluster's members, ascending. */
  private final List<Integer> members;

  private TraceMerger(List<Integer> members) {
    this.members = members;
  }

  /**
   * One trace holding every event of {@code traces}, in an order consistent with causality.
   *
   * @throws TraceInputException if the traces are of different clusters, or cannot be ordered
   */
  public static Trace merge(List<Trace> traces) throws TraceInputException {
    if (traces.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    Trace first = traces.get(0);
    if (traces.size() == 1) {
      return first;
    }
    List<java.nio.file.Path> files = new ArrayList<>();
    for (Trace trace : traces) {
      TraceHeader h = trace.header();
      if (!h.members().equals(first.header().members())
          || h.maxEntriesPerAppend() != first.header().maxEntriesPerAppend()) {
        throw new TraceInputException(trace.name() + ": its cluster (members " + h.members()
            + ", maxEntriesPerAppend " + h.maxEntriesPerAppend() + ") differs from that of " + first.name()
            + " (members " + first.header().members() + ", maxEntriesPerAppend "
            + first.header().maxEntriesPerAppend() + "): traces of different clusters cannot be merged");
      }
      files.addAll(trace.files());
    }
    List<TraceEvent> merged = new TraceMerger(first.header().members()).interleave(traces);
    return new Trace(files, new TraceHeader(first.header().members(), first.header().maxEntriesPerAppend(),
        "merged: " + first.header().origin()), merged);
  }

  private List<TraceEvent> interleave(List<Trace> traces) throws TraceInputException {
    int total = 0;
    for (Trace trace : traces) {
      total += trace.events().size();
    }
    List<TraceEvent> merged = new ArrayList<>(total);
    int[] next = new int[traces.size()];
    while (merged.size() < total) {
      boolean placed = false;
      for (int f = 0; f < traces.size(); f++) {
        List<TraceEvent> events = traces.get(f).events();
        if (next[f] < events.size() && canPlace(events.get(next[f]))) {
          place(events.get(next[f]));
          merged.add(events.get(next[f]));
          next[f]++;
          placed = true;
        }
      }
      if (!placed) {
        throw stuck(traces, next);
      }
    }
    return merged;
  }

  /** The message the event needs in the network, or null if it needs none. */
  private static @Nullable TracedMessage awaited(TraceEvent e) {
    return switch (e.action()) {
      case UpdateTerm, HandleRequestVoteRequest, HandleRequestVoteResponse, HandleAppendEntriesRequest,
          HandleAppendEntriesResponse -> e.received();
      case DropMessage, DuplicateMessage -> e.message();
      default -> null;
    };
  }

  private boolean canPlace(TraceEvent e) {
    TracedMessage m = awaited(e);
    return m == null || network.getOrDefault(m, 0) > 0;
  }

  private void place(TraceEvent e) {
    TraceAction action = e.action();
    TracedMessage m = awaited(e);
    if (m != null && action != TraceAction.UpdateTerm) {
      // A handler consumes its message, the network loses or copies one.
      network.merge(m, action == TraceAction.DuplicateMessage ? 1 : -1, Integer::sum);
    }
    List<TracedMessage> pending = outbox.computeIfAbsent(e.node(), n -> new ArrayList<>());
    TracedMessage sent = e.sent();
    if (sent instanceof TracedMessage.AppendEntriesRequest) {
      network.merge(sent, 1, Integer::sum); // a leader's request skips the outbox (thesis §10.2.1)
    } else if (sent != null) {
      pending.add(sent);
    }
    NodeState state = e.state();
    if (action == TraceAction.Timeout && state != null) {
      int lastLogTerm = state.log().isEmpty() ? 0 : state.log().get(state.log().size() - 1).term();
      for (int peer : outboxPeers(e)) {
        pending.add(new TracedMessage.RequestVoteRequest(e.node(), peer, state.currentTerm(), lastLogTerm,
            state.logLength()));
      }
    } else if (action == TraceAction.Persist) {
      for (TracedMessage out : pending) {
        network.merge(out, 1, Integer::sum);
      }
      pending.clear();
    } else if (action == TraceAction.Restart) {
      pending.clear();
    }
  }

  /** The members a Timeout asks for votes: every member but the node itself. */
  private List<Integer> outboxPeers(TraceEvent e) {
    List<Integer> peers = new ArrayList<>();
    for (int member : members) {
      if (member != e.node()) {
        peers.add(member);
      }
    }
    return peers;
  }

  private TraceInputException stuck(List<Trace> traces, int[] next) {
    StringBuilder waiting = new StringBuilder();
    for (int f = 0; f < traces.size(); f++) {
      List<TraceEvent> events = traces.get(f).events();
      if (next[f] < events.size()) {
        TraceEvent e = events.get(next[f]);
        TracedMessage m = awaited(e);
        waiting.append(waiting.length() == 0 ? "" : "; ").append(e.where()).append(" (").append(e.action())
            .append(") waits for ").append(m == null ? "nothing" : describe(m));
      }
    }
    return new TraceInputException("cannot merge " + traces.size() + " traces: no file's next event can go,"
        + " because each receives a message no file has sent (and persisted) before it: " + waiting);
  }

  private static String describe(TracedMessage m) {
    return m.type() + " from " + m.from() + " to " + m.to() + " in term " + m.term();
  }
}
