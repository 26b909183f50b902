package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.trace.TraceAction;

/**
 * A few core nodes wired together by a reliable FIFO network, driven one input at a time. It is the smallest
 * driver that follows the {@link Ready} contract, and it checks that contract on every input:
 * <ul>
 *   <li>the trace events of each input are those {@code docs/steps.md} allows for it (one event per step);</li>
 *   <li>the messages of each Ready are exactly those the events since the last Ready put into the outbox;</li>
 *   <li>when a Ready's messages leave, the node's hard state and whole log equal what is on its disk;</li>
 *   <li>committed entries are handed out in index order, each once, and equal the log's.</li>
 * </ul>
 * Not the simulator (org.raftref.sim): no faults but isolating a node and crashing one.
 */
final class Cluster {

  private final RecordingSink sink = new RecordingSink();
  private final TreeMap<Integer, RaftNode> nodes = new TreeMap<>();
  private final Map<Integer, Disk> disks = new HashMap<>();
  private final Map<Integer, List<LogEntry>> applied = new HashMap<>();
  /** Per node: the messages the events since its last Ready put into its outbox, in order. */
  private final Map<Integer, List<Message>> announced = new HashMap<>();
  /** Messages in flight, oldest first. */
  private final List<Message> network = new ArrayList<>();
  private final Set<Integer> isolated = new HashSet<>();
  /** term ↦ the node that became leader in it, over the whole run (Election Safety, §5.2). */
  private final Map<Long, Integer> leaders = new HashMap<>();
  private final long seed;
  private final int peers;
  private int restarts;

  /** What one node has made durable: the driver's side of {@link Ready} step 1. */
  static final class Disk {
    HardState hardState = HardState.INITIAL;
    final List<LogEntry> log = new ArrayList<>();

    void write(Ready ready) {
      if (ready.hardState() != null) {
        hardState = ready.hardState();
      }
      if (!ready.entries().isEmpty()) {
        log.subList((int) ready.firstEntryIndex() - 1, log.size()).clear();
        log.addAll(ready.entries());
      }
    }

    DurableState durableState() {
      return new DurableState(hardState, log);
    }
  }

  Cluster(int size, long seed) {
    this.seed = seed;
    this.peers = size - 1;
    List<Integer> members = IntStream.rangeClosed(1, size).boxed().toList();
    for (int id : members) {
      nodes.put(id, RaftNode.start(Nodes.config(id, members), new SplittableRandom(seed * 31 + id), sink));
      disks.put(id, new Disk());
      applied.put(id, new ArrayList<>());
      announced.put(id, new ArrayList<>());
    }
  }

  RaftNode node(int id) {
    return nodes.get(id);
  }

  Set<Integer> ids() {
    return nodes.keySet();
  }

  Disk disk(int id) {
    return disks.get(id);
  }

  /** The entries node {@code id} handed out to apply since it last started, entry 1 first. */
  List<LogEntry> applied(int id) {
    return applied.get(id);
  }

  /** Messages to and from an isolated node are dropped. */
  void isolate(int id) {
    isolated.add(id);
  }

  void heal() {
    isolated.clear();
  }

  int isolatedCount() {
    return isolated.size();
  }

  /**
   * State Machine Safety (§5.4.3) and Log Matching over what was applied: of any two nodes, one applied a
   * prefix of what the other applied.
   */
  void checkAppliedPrefixes() {
    for (int a : ids()) {
      for (int b : ids()) {
        List<LogEntry> x = applied(a);
        List<LogEntry> y = applied(b);
        int common = Math.min(x.size(), y.size());
        assertEquals(x.subList(0, common), y.subList(0, common),
            "nodes " + a + " and " + b + " applied different entries (seed " + seed + ")");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Inputs, each checked against docs/steps.md

  void tick(int id) {
    input(id, StepsContract.tick(peers), null, () -> node(id).tick(), true);
  }

  ProposeResult propose(int id, byte[] command) {
    ProposeResult[] result = new ProposeResult[1];
    input(id, StepsContract.propose(peers), null,
        () -> result[0] = node(id).propose(command), true);
    assertEquals(result[0] instanceof ProposeResult.Accepted, node(id).role() == Role.Leader);
    return result[0];
  }

  /** Puts {@code m} into the network, as if some node had sent it. */
  void inject(Message m) {
    network.add(m);
  }

  /** The number of messages in flight. */
  int inFlight() {
    return network.size();
  }

  /** Delivers the oldest message in flight (dropping it if an end is isolated); false if there is none. */
  boolean deliverOne() {
    if (network.isEmpty()) {
      return false;
    }
    deliver(0, true);
    return true;
  }

  /**
   * Delivers the message at {@code position} in flight (0 is the oldest) and, if {@code persist}, lets the
   * receiver persist and send; otherwise the receiver crashes before persisting what the message changed.
   */
  void deliver(int position, boolean persist) {
    Message m = network.remove(position);
    if (isolated.contains(m.from()) || isolated.contains(m.to())) {
      return;
    }
    RaftNode to = node(m.to());
    long rejectedBefore = to.rejectedMessages();
    input(m.to(), StepsContract.accepted(m, peers), m, () -> to.step(m), persist);
    assertEquals(rejectedBefore, to.rejectedMessages(), "a message between correct nodes was rejected: "
        + to.lastRejection());
    if (!persist) {
      crashBeforePersisting(m.to());
    }
  }

  /** Drops the message at {@code position} in flight. */
  void drop(int position) {
    network.remove(position);
  }

  /** Adds a second copy of the message at {@code position} in flight. */
  void duplicate(int position) {
    network.add(network.get(position));
  }

  /** Ticks every node once, then delivers until the network is empty. */
  void round() {
    for (int id : ids()) {
      tick(id);
    }
    settle();
  }

  void rounds(int count) {
    for (int i = 0; i < count; i++) {
      round();
    }
  }

  /** Delivers messages until none is in flight. */
  void settle() {
    for (int i = 0; i < 100_000; i++) {
      if (!deliverOne()) {
        return;
      }
    }
    fail("the network did not drain in 100000 deliveries (seed " + seed + ")");
  }

  /** Runs rounds until a node that is not isolated leads the highest term any such node has; returns it. */
  int electLeader() {
    for (int i = 0; i < 20 * Nodes.T; i++) {
      long maxTerm = ids().stream().filter(id -> !isolated.contains(id))
          .mapToLong(id -> node(id).currentTerm()).max().orElseThrow();
      for (int id : ids()) {
        RaftNode node = node(id);
        if (!isolated.contains(id) && node.role() == Role.Leader && node.currentTerm() == maxTerm) {
          return id;
        }
      }
      round();
    }
    throw new AssertionError("no leader after " + 20 * Nodes.T + " rounds (seed " + seed + ")");
  }

  /** Crash and restart from the disk; the state machine is rebuilt from entry 1, so applied starts over. */
  void restart(int id) {
    restarts++;
    RaftConfig config = node(id).config();
    nodes.put(id, RaftNode.restart(config, disk(id).durableState(),
        new SplittableRandom(seed * 31 + id + 1000L * restarts), sink));
    applied.put(id, new ArrayList<>());
    announced.get(id).clear();
  }

  /** The node hands out its Ready but crashes before persisting it: its messages never leave. */
  private void crashBeforePersisting(int id) {
    if (node(id).hasReady()) {
      node(id).ready();
    }
    restart(id);
  }

  // ---------------------------------------------------------------------------------------------------
  // The driver loop and its checks

  private void input(int id, String allowedEvents, Message received, Runnable action, boolean persist) {
    assertEquals(0, sink.size(), "events outside an input");
    action.run();
    checkEvents(id, allowedEvents, received, sink.drain());
    if (persist) {
      persistAndSend(id);
    }
  }

  private void checkEvents(int id, String allowedEvents, Message received, List<RecordingSink.Event> events) {
    String actions = StepsContract.joined(events);
    assertTrue(Pattern.matches(allowedEvents, actions),
        "node " + id + " emitted [" + actions + " ] where docs/steps.md allows /" + allowedEvents + "/ (seed "
            + seed + ")");
    for (RecordingSink.Event e : events) {
      assertEquals(id, e.node());
      assertTrue(e.action().isNodeStep());
      switch (e.action()) {
        case UpdateTerm, HandleRequestVoteRequest, HandleRequestVoteResponse, HandleAppendEntriesRequest,
            HandleAppendEntriesResponse -> assertSame(received, e.received(), e.action() + " names its message");
        default -> assertEquals(null, e.received(), e.action() + " consumes no message");
      }
      if (e.action() == TraceAction.BecomeLeader) {
        Integer earlier = leaders.putIfAbsent(e.term(), id);
        assertTrue(earlier == null, "two leaders in term " + e.term() + ": " + earlier + " and " + id);
      }
      if (e.action() == TraceAction.Timeout) {
        for (int peer : node(id).members()) {
          if (peer != id) {
            announced.get(id).add(new RequestVoteRequest(id, peer, e.term(), e.lastLogTerm(), e.lastLogIndex()));
          }
        }
      } else if (e.sent() != null) {
        announced.get(id).add(e.sent());
      }
    }
  }

  private void persistAndSend(int id) {
    RaftNode node = node(id);
    if (!node.hasReady()) {
      assertTrue(announced.get(id).isEmpty(), "messages announced but no Ready");
      return;
    }
    Ready ready = node.ready();
    assertEquals(announced.get(id), ready.messages(), "a Ready's messages are those its steps announced");
    announced.get(id).clear();
    Disk disk = disk(id);
    disk.write(ready);
    // The durability contract: what the messages may depend on is durable before they leave.
    assertEquals(node.hardState(), disk.hardState, "node " + id + ": hard state not durable with its messages");
    assertEquals(Nodes.logOf(node), disk.log, "node " + id + ": log not durable with its messages");
    List<LogEntry> appliedSoFar = applied(id);
    if (!ready.committedEntries().isEmpty()) {
      assertEquals(appliedSoFar.size() + 1, ready.firstCommittedIndex(), "committed entries skip or repeat");
      for (int k = 0; k < ready.committedEntries().size(); k++) {
        assertEquals(node.logEntry(ready.firstCommittedIndex() + k), ready.committedEntries().get(k));
      }
      appliedSoFar.addAll(ready.committedEntries());
    }
    assertTrue(ready.lastCommittedIndex() <= node.commitIndex());
    node.advance(ready);
    checkEvents(id, StepsContract.advance(), null, sink.drain());
    assertEquals(appliedSoFar.size(), node.appliedIndex());
    if (!isolated.contains(id)) {
      network.addAll(ready.messages());
    }
    persistAndSend(id); // advance may have committed more (a leader's own entries became durable)
  }
}
