package org.raftref.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.core.ProposeResult;
import org.raftref.core.RaftConfig;
import org.raftref.core.RaftNode;
import org.raftref.core.Ready;
import org.raftref.core.Role;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;

/**
 * A test-only driver: a few {@link RaftNode}s whose every input the test chooses, so that a test can produce
 * a trace with a known shape before (and independently of) the simulator. The network is a list in send
 * order; {@link #deliverNext()} delivers its oldest message. After every input the node's Ready is persisted
 * to a per-node "disk", advanced and its messages sent, as the runtime does.
 *
 * <p>Deterministic: each node draws its election timeouts from a generator seeded with {@code seed + id}.
 */
public final class HandDrivenCluster {

  private final RaftConfig config;
  private final long seed;
  private final TraceSink sink;
  private final TreeMap<Integer, RaftNode> nodes = new TreeMap<>();
  private final TreeMap<Integer, HardState> diskHardState = new TreeMap<>();
  private final TreeMap<Integer, List<LogEntry>> diskLog = new TreeMap<>();
  /** Messages sent and not yet delivered or dropped, oldest first. */
  private final List<Message> network = new ArrayList<>();

  /** A cluster of nodes 1..size with the default configuration but {@code maxEntriesPerAppend}. */
  public HandDrivenCluster(int size, int maxEntriesPerAppend, long seed, TraceSink sink) {
    List<Integer> members = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      members.add(id);
    }
    RaftConfig defaults = RaftConfig.of(1, members);
    this.config = new RaftConfig(1, members, defaults.electionTimeoutTicks(), defaults.heartbeatTicks(),
        maxEntriesPerAppend, defaults.maxBytesPerAppend());
    this.seed = seed;
    this.sink = sink;
    for (int id : members) {
      nodes.put(id, RaftNode.start(config.forMember(id), new SplittableRandom(seed + id), sink));
      diskHardState.put(id, HardState.INITIAL);
      diskLog.put(id, new ArrayList<>());
    }
  }

  /** The header a trace of this cluster starts with. */
  public TraceHeader header(String origin) {
    return new TraceHeader(config.members(), config.maxEntriesPerAppend(), origin);
  }

  public RaftNode node(int id) {
    return nodes.get(id);
  }

  /** Messages in flight, oldest first. */
  public List<Message> network() {
    return List.copyOf(network);
  }

  /** Ticks {@code id} until it starts an election (or, as a leader, {@code ticks} times). */
  public void tickUntilCandidate(int id) {
    RaftNode node = node(id);
    long term = node.currentTerm();
    for (int k = 0; k < 10 * config.electionTimeoutTicks() && node.currentTerm() == term; k++) {
      tick(id);
    }
    if (node.currentTerm() == term) {
      throw new IllegalStateException("node " + id + " did not time out");
    }
  }

  /** One tick on node {@code id}. */
  public void tick(int id) {
    node(id).tick();
    persistAndSend(id);
  }

  /** {@code id} proposes {@code command} (UTF-8); it must be the leader. */
  public void propose(int id, String command) {
    ProposeResult result = node(id).propose(command.getBytes(StandardCharsets.UTF_8));
    if (!(result instanceof ProposeResult.Accepted)) {
      throw new IllegalStateException("node " + id + " is not the leader: " + result);
    }
    persistAndSend(id);
  }

  /**
   * {@code id}, the leader, proposes {@code command} and crashes during its own write: its AppendEntries
   * left before the write, as a leader's may (thesis §10.2.1, {@link Ready#mayLeaveBeforePersist}), the write
   * never completed, and it restarts from its disk without the entry, while the requests stay in flight.
   */
  public void proposeAndCrashDuringWrite(int id, String command) {
    ProposeResult result = node(id).propose(command.getBytes(StandardCharsets.UTF_8));
    if (!(result instanceof ProposeResult.Accepted)) {
      throw new IllegalStateException("node " + id + " is not the leader: " + result);
    }
    Ready ready = node(id).ready();
    for (Message m : ready.messages()) {
      if (Ready.mayLeaveBeforePersist(m)) {
        network.add(m);
      }
    }
    restart(id);
  }

  /** Delivers the oldest message in flight; returns it. */
  public Message deliverNext() {
    Message m = network.remove(0);
    node(m.to()).step(m);
    persistAndSend(m.to());
    return m;
  }

  /** Delivers messages, oldest first, until none is in flight or {@code limit} were delivered. */
  public void deliverAll(int limit) {
    for (int k = 0; k < limit && !network.isEmpty(); k++) {
      deliverNext();
    }
  }

  /** The network loses its oldest message. */
  public void dropNext() {
    Message m = network.remove(0);
    sink.environmentStep(TraceAction.DropMessage, 0, m);
  }

  /** The network gains a second copy of its oldest message, at the end of the queue. */
  public void duplicateNext() {
    Message m = network.get(0);
    network.add(m);
    sink.environmentStep(TraceAction.DuplicateMessage, 0, m);
  }

  /**
   * {@code id} crashes and restarts from its disk. Messages it had sent stay in flight (the network does not
   * know about the crash).
   */
  public void restart(int id) {
    DurableState disk = new DurableState(diskHardState.get(id), diskLog.get(id));
    nodes.put(id, RaftNode.restart(config.forMember(id), disk, new SplittableRandom(seed + 100 + id), sink));
    sink.environmentStep(TraceAction.Restart, id, null);
  }

  /** The one leader of the highest term among the nodes, if there is one. */
  public int leader() {
    int leader = 0;
    long term = -1;
    for (RaftNode node : nodes.values()) {
      if (node.role() == Role.Leader && node.currentTerm() > term) {
        leader = node.id();
        term = node.currentTerm();
      }
    }
    return leader;
  }

  /** Send a leader's AppendEntries, persist, then send the rest: the order of {@link Ready}. */
  private void persistAndSend(int id) {
    RaftNode node = node(id);
    while (node.hasReady()) {
      Ready ready = node.ready();
      for (Message m : ready.messages()) {
        if (Ready.mayLeaveBeforePersist(m)) {
          network.add(m);
        }
      }
      if (ready.hardState() != null) {
        diskHardState.put(id, ready.hardState());
      }
      if (!ready.entries().isEmpty()) {
        List<LogEntry> log = diskLog.get(id);
        log.subList((int) ready.firstEntryIndex() - 1, log.size()).clear();
        log.addAll(ready.entries());
      }
      node.advance(ready);
      for (Message m : ready.messages()) {
        if (!Ready.mayLeaveBeforePersist(m)) {
          network.add(m);
        }
      }
    }
  }
}
