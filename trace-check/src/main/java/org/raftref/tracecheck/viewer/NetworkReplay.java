package org.raftref.tracecheck.viewer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.tracecheck.trace.NodeState;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TracedMessage;

/**
 * Pairs every message a trace sends with the event that receives, drops or loses it, by replaying the network
 * of {@code docs/trace-format.md} ("Order") over the events in order:
 *
 * <ul>
 *   <li>a step that sends ({@code Timeout}: a RequestVoteRequest to every peer, built from the event's state;
 *       the request handlers: their {@code sent}) puts a copy into its node's outbox; the node's next
 *       {@code Persist} moves the whole outbox into the network, and a {@code Restart} loses it. A leader's
 *       {@code AppendEntries} puts its request straight into the network (the leader's write overlaps
 *       replication, thesis §10.2.1);</li>
 *   <li>the network is a multiset: a message's identity is its full field set (type, from, to, term and
 *       payload), and equal messages are copies of one another. {@code DuplicateMessage} adds a copy;
 *       {@code DropMessage} and the {@code Handle…} steps take one out; {@code UpdateTerm} only looks at
 *       one (its handler step follows and takes it);</li>
 *   <li>copies are indistinguishable, so which copy an event takes is a convention: <b>the copy that entered
 *       the network first</b> (first in, first out). Any choice gives the same multiset, so the convention
 *       changes which arrow is drawn where, never whether an event is accounted for.</li>
 * </ul>
 *
 * <p>An event whose message is not where it should be is recorded as an {@link MessageFlows.Anomaly}: a
 * receive whose message is still in the sender's outbox is paired with that copy (and the copy flagged, see
 * {@link Flight#receivedUnsent()}), since that is the likeliest story; anything else stays unpaired. A trace the
 * spec accepts has no anomalies.
 */
public final class NetworkReplay {

  /** A copy while the replay runs; turned into a {@link Flight} at the end. */
  private static final class Copy {
    final int id;
    final TracedMessage message;
    final int createdAt;
    final int duplicateOf;
    int sentAt;
    Flight.@Nullable Fate fate;
    int endAt;
    int lookedAt;

    Copy(int id, TracedMessage message, int createdAt, int sentAt, int duplicateOf) {
      this.id = id;
      this.message = message;
      this.createdAt = createdAt;
      this.sentAt = sentAt;
      this.duplicateOf = duplicateOf;
    }

    void end(Flight.Fate how, int at) {
      fate = how;
      endAt = at;
    }
  }

  private final List<Integer> members;
  private final List<Copy> copies = new ArrayList<>();
  private final Map<Integer, List<Copy>> outbox = new TreeMap<>();
  /** Copies in the network by message, oldest first. */
  private final Map<TracedMessage, ArrayDeque<Copy>> network = new HashMap<>();
  private final List<MessageFlows.Anomaly> anomalies = new ArrayList<>();

  private NetworkReplay(List<Integer> members) {
    this.members = members;
    for (int node : members) {
      outbox.put(node, new ArrayList<>());
    }
  }

  /** Replays the network of {@code trace}: every copy of every message, and how each ended. */
  public static MessageFlows replay(Trace trace) {
    NetworkReplay replay = new NetworkReplay(trace.header().members());
    List<TraceEvent> events = trace.events();
    for (int k = 1; k <= events.size(); k++) {
      replay.step(k, events.get(k - 1));
    }
    return replay.finish();
  }

  private void step(int k, TraceEvent e) {
    switch (e.action()) {
      case Timeout -> {
        for (int peer : members) {
          if (peer != e.node()) {
            create(k, e.node(), voteRequest(e, peer));
          }
        }
      }
      case AppendEntries -> {
        // A leader's request skips the outbox: it is in the network from this step on (thesis §10.2.1).
        Copy c = create(k, e.node(), require(e.sent()));
        outbox(e.node()).remove(c);
        c.sentAt = k;
        network.computeIfAbsent(c.message, m -> new ArrayDeque<>()).addLast(c);
      }
      case HandleRequestVoteRequest, HandleAppendEntriesRequest -> {
        receive(k, require(e.received()));
        create(k, e.node(), require(e.sent()));
      }
      case HandleRequestVoteResponse, HandleAppendEntriesResponse -> receive(k, require(e.received()));
      case UpdateTerm -> lookAt(k, require(e.received()));
      case Persist -> {
        List<Copy> leaving = outbox(e.node());
        for (Copy c : leaving) {
          c.sentAt = k;
          network.computeIfAbsent(c.message, m -> new ArrayDeque<>()).addLast(c);
        }
        leaving.clear();
      }
      case Restart -> {
        List<Copy> lost = outbox(e.node());
        for (Copy c : lost) {
          c.end(Flight.Fate.LOST_AT_RESTART, k);
        }
        lost.clear();
      }
      case DropMessage -> {
        TracedMessage m = require(e.message());
        Copy c = takeFromNetwork(m);
        if (c == null) {
          anomalies.add(new MessageFlows.Anomaly(k, "drops " + describe(m) + ", but no copy of it is in the network"));
        } else {
          c.end(Flight.Fate.DROPPED, k);
        }
      }
      case DuplicateMessage -> {
        TracedMessage m = require(e.message());
        ArrayDeque<Copy> inNetwork = network.get(m);
        Copy original = inNetwork == null ? null : inNetwork.peekFirst();
        if (original == null || inNetwork == null) {
          anomalies.add(new MessageFlows.Anomaly(k,
              "duplicates " + describe(m) + ", but no copy of it is in the network"));
        } else {
          Copy copy = new Copy(copies.size(), m, k, k, original.id);
          copies.add(copy);
          inNetwork.addLast(copy);
        }
      }
      case BecomeLeader, ClientRequest, AdvanceCommitIndex -> {
        // No message: BecomeLeader and ClientRequest only append to the leader's log.
      }
    }
  }

  /**
   * The RequestVoteRequest a {@code Timeout} sends to {@code peer}: the candidate's new term and its last log
   * entry, all in the event's post-state (a timeout does not change the log).
   */
  private static TracedMessage voteRequest(TraceEvent timeout, int peer) {
    NodeState s = require(timeout.state());
    int lastLogTerm = s.log().isEmpty() ? 0 : s.log().get(s.log().size() - 1).term();
    return new TracedMessage.RequestVoteRequest(timeout.node(), peer, s.currentTerm(), lastLogTerm, s.logLength());
  }

  private Copy create(int k, int node, TracedMessage m) {
    Copy c = new Copy(copies.size(), m, k, 0, -1);
    copies.add(c);
    outbox(node).add(c);
    return c;
  }

  private void receive(int k, TracedMessage m) {
    Copy c = takeFromNetwork(m);
    if (c == null) {
      c = takeFromOutbox(m);
      anomalies.add(new MessageFlows.Anomaly(k, c == null
          ? "receives " + describe(m) + ", but no copy of it is in the network or in node " + m.from()
              + "'s outbox"
          : "receives " + describe(m) + " from node " + m.from() + "'s outbox: node " + m.from()
              + " had not persisted since it produced it (event " + c.createdAt + "), so it was never sent"));
    }
    if (c != null) {
      c.end(Flight.Fate.RECEIVED, k);
    }
  }

  private void lookAt(int k, TracedMessage m) {
    ArrayDeque<Copy> inNetwork = network.get(m);
    Copy c = inNetwork == null ? null : inNetwork.peekFirst();
    if (c == null) {
      c = findInOutbox(m);
      anomalies.add(new MessageFlows.Anomaly(k, c == null
          ? "looks at " + describe(m) + ", but no copy of it is in the network or in node " + m.from()
              + "'s outbox"
          : "looks at " + describe(m) + " in node " + m.from() + "'s outbox: it was never sent"));
    }
    if (c != null && c.lookedAt == 0) {
      c.lookedAt = k;
    }
  }

  private @Nullable Copy takeFromNetwork(TracedMessage m) {
    ArrayDeque<Copy> inNetwork = network.get(m);
    if (inNetwork == null) {
      return null;
    }
    Copy c = inNetwork.pollFirst();
    if (inNetwork.isEmpty()) {
      network.remove(m);
    }
    return c;
  }

  private @Nullable Copy findInOutbox(TracedMessage m) {
    for (Copy c : outbox(m.from())) {
      if (c.message.equals(m)) {
        return c;
      }
    }
    return null;
  }

  private @Nullable Copy takeFromOutbox(TracedMessage m) {
    for (Iterator<Copy> it = outbox(m.from()).iterator(); it.hasNext(); ) {
      Copy c = it.next();
      if (c.message.equals(m)) {
        it.remove();
        return c;
      }
    }
    return null;
  }

  private List<Copy> outbox(int node) {
    // Members are checked by TraceReader, so every node and message endpoint has an outbox.
    return outbox.computeIfAbsent(node, n -> new ArrayList<>());
  }

  private MessageFlows finish() {
    List<Flight> flights = new ArrayList<>(copies.size());
    for (Copy c : copies) {
      Flight.Fate fate = c.fate;
      if (fate == null) {
        fate = c.sentAt > 0 ? Flight.Fate.IN_FLIGHT_AT_END : Flight.Fate.UNSENT_AT_END;
      }
      flights.add(new Flight(c.id, c.message, c.createdAt, c.sentAt, c.duplicateOf, fate, c.endAt, c.lookedAt));
    }
    return new MessageFlows(flights, anomalies);
  }

  /** "a RequestVoteRequest from 1 to 2 in term 3", "an AppendEntriesRequest ...", for anomaly texts. */
  static String describe(TracedMessage m) {
    return (m.type().startsWith("A") ? "an " : "a ") + m.type() + " from " + m.from() + " to " + m.to()
        + " in term " + m.term();
  }

  /** The reader guarantees the fields each action has; a null here is a bug in this class or the reader. */
  private static <T> T require(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("a trace event lacks a field its action always has; TraceReader checks this");
    }
    return value;
  }
}
