package org.raftref.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.ProposeResult;
import org.raftref.core.RaftConfig;
import org.raftref.core.RaftNode;
import org.raftref.core.Ready;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceSink;

/**
 * A simulated cluster of nodes 1..size driven in virtual time by one thread.
 *
 * <p>Determinism: every random choice (election timeouts, message loss, delays, duplication, tick phases)
 * comes from one {@link SplittableRandom} seeded with {@link #seed()}, and simultaneous events run in the
 * order they were scheduled. The same seed and the same calls give the same run, event for event.
 *
 * <p>After each input to a node, the driver does what {@link Ready} asks (persist to the node's
 * {@link SimDisk}, advance, send, apply), then the {@link InvariantChecker} checks the node; a violation
 * throws {@link InvariantViolation} out of whatever call ran the step.
 */
public final class Cluster {

  private abstract static class Event implements Comparable<Event> {
    final long time;
    final long sequence;

    Event(long time, long sequence) {
      this.time = time;
      this.sequence = sequence;
    }

    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  private static final class Tick extends Event {
    final int node;
    final long incarnation;

    Tick(long time, long sequence, int node, long incarnation) {
      super(time, sequence);
      this.node = node;
      this.incarnation = incarnation;
    }
  }

  private static final class Delivery extends Event {
    final SimNetwork.Flight flight;

    Delivery(long time, long sequence, SimNetwork.Flight flight) {
      super(time, sequence);
      this.flight = flight;
    }
  }

  private final long seed;
  private final int size;
  private final SimParams params;
  private final TraceSink trace;
  private final SplittableRandom random;
  private final SimNetwork network;
  private final InvariantChecker checker;
  private final RaftConfig baseConfig;

  private final @Nullable RaftNode[] nodes;
  private final SimDisk[] disks;
  private final long[] incarnation;
  /** applied[i] holds the entries node i applied since it last started, index 1 first. */
  private final List<List<LogEntry>> applied = new ArrayList<>();

  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private long now;
  private long nextSequence;
  private long steps;

  public Cluster(long seed, int size, SimParams params, TraceSink trace) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, was " + size);
    }
    this.seed = seed;
    this.size = size;
    this.params = params;
    this.trace = trace;
    this.random = new SplittableRandom(seed);
    this.network = new SimNetwork(random, size);
    this.checker = new InvariantChecker(size);
    List<Integer> members = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      members.add(i);
    }
    this.baseConfig = new RaftConfig(1, members, params.electionTimeoutTicks(), params.heartbeatTicks(),
        params.maxEntriesPerAppend(), params.maxBytesPerAppend());
    this.nodes = new RaftNode[size + 1];
    this.disks = new SimDisk[size + 1];
    this.incarnation = new long[size + 1];
    applied.add(new ArrayList<>());
    for (int i = 1; i <= size; i++) {
      disks[i] = new SimDisk();
      applied.add(new ArrayList<>());
      RaftNode node = RaftNode.start(baseConfig.forMember(i), new SplittableRandom(random.nextLong()), trace);
      nodes[i] = node;
      scheduleFirstTick(i);
    }
  }

  /** One line naming the seed and every parameter that shapes the run. */
  public String describe() {
    return "seed=" + seed + " nodes=" + size + " tickMillis=" + params.tickMillis()
        + " heartbeatTicks=" + params.heartbeatTicks() + " electionTimeoutTicks=" + params.electionTimeoutTicks()
        + " maxEntriesPerAppend=" + params.maxEntriesPerAppend() + " maxBytesPerAppend=" + params.maxBytesPerAppend()
        + " latencyMillis=" + params.latencyMillis();
  }

  // ---------------------------------------------------------------------------------------------------
  // Time

  /** Runs every event due in the next {@code millis} of virtual time. */
  public void runFor(long millis) {
    runUntil(() -> false, millis);
  }

  /**
   * Runs events until {@code done} holds (checked after every event) or {@code maxMillis} of virtual time
   * have passed. Returns whether {@code done} held.
   */
  public boolean runUntil(BooleanSupplier done, long maxMillis) {
    long deadline = now + maxMillis;
    if (done.getAsBoolean()) {
      return true;
    }
    for (Event event = events.peek(); event != null && event.time <= deadline; event = events.peek()) {
      events.poll();
      now = event.time;
      if (event instanceof Tick tick) {
        runTick(tick);
      } else if (event instanceof Delivery delivery) {
        deliver(delivery.flight);
      }
      if (done.getAsBoolean()) {
        return true;
      }
    }
    now = deadline;
    return done.getAsBoolean();
  }

  private void scheduleFirstTick(int node) {
    schedule(new Tick(now + 1 + random.nextInt(params.tickMillis()), nextSequence++, node, incarnation[node]));
  }

  private void schedule(Event event) {
    events.add(event);
  }

  private void runTick(Tick tick) {
    RaftNode node = nodes[tick.node];
    if (node == null || tick.incarnation != incarnation[tick.node]) {
      return;
    }
    node.tick();
    settle(node);
    schedule(new Tick(now + params.tickMillis(), nextSequence++, tick.node, tick.incarnation));
  }

  // ---------------------------------------------------------------------------------------------------
  // Driving a node: Ready → send AppendEntries → persist → advance → send the rest → apply, then check

  private void settle(RaftNode node) {
    steps++;
    int id = node.id();
    while (node.hasReady()) {
      Ready ready = node.ready();
      // As the runtime's driver does: a leader's AppendEntries leave before its own write (thesis §10.2.1).
      for (Message m : ready.messages()) {
        if (Ready.mayLeaveBeforePersist(m)) {
          send(m);
        }
      }
      checker.beforePersist(id, ready);
      disks[id].persist(ready);
      node.advance(ready);
      for (Message m : ready.messages()) {
        if (!Ready.mayLeaveBeforePersist(m)) {
          send(m);
        }
      }
      applied.get(id).addAll(ready.committedEntries());
    }
    checker.afterStep(node);
  }

  private void send(Message m) {
    long[] delays = network.fate(m, params.latencyMillis());
    if (delays.length == 0) {
      trace.environmentStep(TraceAction.DropMessage, m.from(), m);
      return;
    }
    if (delays.length > 1) {
      trace.environmentStep(TraceAction.DuplicateMessage, m.from(), m);
    }
    for (long delay : delays) {
      schedule(new Delivery(now + delay, nextSequence++, network.depart(m)));
    }
  }

  private void deliver(SimNetwork.Flight flight) {
    boolean alreadyDropped = flight.gone;
    Message m = flight.message;
    RaftNode receiver = nodes[m.to()];
    if (!network.arrive(flight) || receiver == null) {
      if (!alreadyDropped) {
        trace.environmentStep(TraceAction.DropMessage, m.to(), m);
      }
      return;
    }
    receiver.step(m);
    settle(receiver);
  }

  // ---------------------------------------------------------------------------------------------------
  // Clients

  /**
   * Hands {@code command} to node {@code node} (6.824's {@code Start}). Returns null if the node is down.
   * Commands must not be empty: the empty command is the new leader's no-op entry.
   */
  public @Nullable ProposeResult propose(int node, byte[] command) {
    checkNode(node);
    if (command.length == 0) {
      throw new IllegalArgumentException("commands must not be empty: the empty command is a leader's no-op");
    }
    RaftNode n = nodes[node];
    if (n == null) {
      return null;
    }
    ProposeResult result = n.propose(command);
    settle(n);
    return result;
  }

  // ---------------------------------------------------------------------------------------------------
  // Faults

  /** Node {@code node} stops: its messages still on their way are lost, its disk survives. */
  public void crash(int node) {
    checkNode(node);
    if (nodes[node] == null) {
      return;
    }
    nodes[node] = null;
    incarnation[node]++;
    for (SimNetwork.Flight flight : network.takeAllFrom(node)) {
      trace.environmentStep(TraceAction.DropMessage, node, flight.message);
    }
  }

  /** Node {@code node} (crashed, or still running: then it crashes first) starts again from its disk. */
  public void restart(int node) {
    crash(node);
    RaftNode n = RaftNode.restart(baseConfig.forMember(node), disks[node].load(),
        new SplittableRandom(random.nextLong()), trace);
    nodes[node] = n;
    trace.environmentStep(TraceAction.Restart, node, null);
    applied.get(node).clear();
    checker.restarted(n);
    scheduleFirstTick(node);
  }

  /** Cuts {@code node} off: it neither sends nor receives (6.824's {@code disconnect}). */
  public void disconnect(int node) {
    checkNode(node);
    network.setConnected(node, false);
  }

  public void connect(int node) {
    checkNode(node);
    network.setConnected(node, true);
  }

  /** {@code groupOf[i-1]} is node i's group; only nodes of one group can talk. */
  public void partition(int... groupOf) {
    network.setPartition(groupOf);
  }

  /** Reconnects every node and removes any partition. */
  public void heal() {
    network.heal();
  }

  public void setReliable(boolean reliable) {
    network.setReliable(reliable);
  }

  public void setLongReordering(boolean longReordering) {
    network.setLongReordering(longReordering);
  }

  public void setDuplicateProbability(double probability) {
    network.setDuplicateProbability(probability);
  }

  // ---------------------------------------------------------------------------------------------------
  // Observation

  public long seed() {
    return seed;
  }

  public int size() {
    return size;
  }

  public SimParams params() {
    return params;
  }

  /** Virtual milliseconds since the start. */
  public long now() {
    return now;
  }

  /** Node inputs processed (ticks, deliveries, proposals). */
  public long steps() {
    return steps;
  }

  /** The running node, or null if it is crashed. */
  public @Nullable RaftNode node(int node) {
    checkNode(node);
    return nodes[node];
  }

  public boolean isUp(int node) {
    return node(node) != null;
  }

  public boolean isConnected(int node) {
    checkNode(node);
    return network.connected(node);
  }

  /** The entries node {@code node} applied since it last started, index 1 first (no-ops included). */
  public List<LogEntry> applied(int node) {
    checkNode(node);
    return Collections.unmodifiableList(applied.get(node));
  }

  /** Every entry committed so far in the run, as the invariant checker recorded it, index 1 first. */
  public List<LogEntry> committed() {
    return Collections.unmodifiableList(checker.committed());
  }

  /** Requests (RequestVote and AppendEntries) delivered to {@code node} (6.824's {@code rpcCount}). */
  public long rpcCount(int node) {
    checkNode(node);
    return network.rpcsReceived(node);
  }

  /** Bytes of every request delivered (6.824's {@code bytesTotal}). */
  public long bytesTotal() {
    return network.requestBytes();
  }

  /** Messages handed to the network, whatever became of them. */
  public long messagesSent() {
    return network.messagesSent();
  }

  /** Writes (persisted Readies) made by {@code node}'s disk. */
  public long diskWrites(int node) {
    checkNode(node);
    return disks[node].writes();
  }

  private void checkNode(int node) {
    if (node < 1 || node > size) {
      throw new IllegalArgumentException("node must be in 1.." + size + ", was " + node);
    }
  }
}
