package org.raftref.sim.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.ProposeResult;
import org.raftref.core.RaftNode;
import org.raftref.core.Role;
import org.raftref.message.LogEntry;
import org.raftref.sim.Cluster;
import org.raftref.sim.SimParams;
import org.raftref.trace.TraceSink;

/**
 * The harness of the MIT 6.824 Raft lab (the role of its {@code config.go}), on the deterministic
 * simulator. Every wait is in virtual time: {@link #sleep} runs the simulator forward, and with it every
 * {@link LogicalClient} due in that span, so a test reads like the lab's Go test while a seed fixes the run.
 *
 * <p>Servers are the simulator's node ids 1..n (the lab counts from 0).
 *
 * <p><b>Command indexes.</b> The lab's Raft has nothing in its log but client commands, so the index Start
 * returns counts commands. Here a new leader first appends a no-op entry of its term (thesis §6.4), so log
 * indexes run ahead of the lab's by the number of no-ops before them, which depends on how many elections
 * happened. The harness therefore speaks of <em>command indexes</em>: the k-th non-empty entry of a log has
 * command index k. {@link #start} converts the leader's log index to a command index through the leader's log;
 * once the entry is committed, Log Matching makes that the same on every server. Every index the tests check
 * ("got index 2", "nCommitted(4)") is the lab's number, read as a command index.
 *
 * <p><b>What "applied" means.</b> As in the lab, what a server applied is remembered across its crashes: a
 * restarted server applies its log again from the start, and each re-applied command must equal the one it
 * applied at that command index before the crash.
 */
final class LabCluster {

  /** The lab's RaftElectionTimeout: the tester's generous allowance for one election, in virtual ms. */
  static final long ELECTION_TIMEOUT = 1_000;

  /** What the lab's {@code Start} returns: command index (or -1), the server's term, whether it leads. */
  record Start(long index, long term, boolean isLeader) {}

  /** How many servers applied a command index, and the command there (null when none did). */
  record Committed(int count, byte @Nullable [] command) {}

  private record Wake(long time, long sequence, LogicalClient client) implements Comparable<Wake> {
    @Override
    public int compareTo(Wake other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  private final Cluster cluster;
  private final int servers;
  /** The test's own choices (which server to cut off, how long to sleep, command values). */
  private final SplittableRandom random;

  /** applied.get(i).get(k - 1): the command server i applied at command index k, kept across restarts. */
  private final List<List<byte[]>> applied = new ArrayList<>();
  /** Entries of {@code cluster.applied(i)} already read since server i last started. */
  private final int[] scanned;
  /** Commands server i applied since it last started. */
  private final int[] appliedSinceStart;
  /** commandsUpTo.get(k): client commands among the first k entries committed in the run. */
  private final List<Long> commandsUpTo = new ArrayList<>(List.of(0L));

  private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
  private long wakeSequence;

  LabCluster(long seed, int servers, boolean unreliable) {
    // No sink, unless LabScenarios runs the scenario with one (trace-check's CI trace validation).
    this(seed, servers, unreliable, LabScenarios.sinkFor(servers));
  }

  /** With a trace sink that sees every step, to look into a failing seed. */
  LabCluster(long seed, int servers, boolean unreliable, TraceSink trace) {
    this.cluster = new Cluster(seed, servers, SimParams.DEFAULTS, trace);
    this.servers = servers;
    // A stream independent of the simulator's, which is seeded with the same number.
    this.random = new SplittableRandom(seed).split();
    this.scanned = new int[servers + 1];
    this.appliedSinceStart = new int[servers + 1];
    for (int i = 0; i <= servers; i++) {
      applied.add(new ArrayList<>());
    }
    cluster.setReliable(!unreliable);
  }

  int servers() {
    return servers;
  }

  SplittableRandom random() {
    return random;
  }

  /** Virtual milliseconds since the cluster started. */
  long now() {
    return cluster.now();
  }

  /** A random server id in 1..n (the lab's {@code rand.Int() % servers}). */
  int randomServer() {
    return 1 + random.nextInt(servers);
  }

  /** The lab's {@code rand.Int()} as a command: a random non-negative number. */
  byte[] randomCommand() {
    return Commands.number(random.nextLong(Long.MAX_VALUE));
  }

  /** The server {@code k} places after {@code server}, wrapping around (the lab's {@code (server + k) % n}). */
  int after(int server, int k) {
    return (server - 1 + k) % servers + 1;
  }

  // ---------------------------------------------------------------------------------------------------
  // Faults (the lab's connect, disconnect, crash1, start1, setunreliable, setlongreordering)

  void connect(int server) {
    cluster.connect(server);
  }

  void disconnect(int server) {
    cluster.disconnect(server);
  }

  /** The lab's {@code connected[server]}: false after a disconnect or a crash, until the next connect. */
  boolean connected(int server) {
    return cluster.isConnected(server);
  }

  /** The lab's {@code rafts[server] != nil}. */
  boolean isUp(int server) {
    return cluster.isUp(server);
  }

  /** The lab's {@code crash1}: cut the server off and stop it; what it made durable stays on its disk. */
  void crash1(int server) {
    harvest(server);
    cluster.disconnect(server);
    cluster.crash(server);
  }

  /** The lab's {@code start1}: crash the server if it runs, then start it from its disk, still cut off. */
  void start1(int server) {
    crash1(server);
    cluster.restart(server);
    scanned[server] = 0;
    appliedSinceStart[server] = 0;
  }

  void setUnreliable(boolean unreliable) {
    cluster.setReliable(!unreliable);
  }

  void setLongReordering(boolean longReordering) {
    cluster.setLongReordering(longReordering);
  }

  /**
   * Requests (RequestVote, AppendEntries) delivered to {@code server} so far: the lab's RPC count, since a
   * request and its reply make one lab RPC.
   */
  long rpcCount(int server) {
    return cluster.rpcCount(server);
  }

  /** Bytes of all requests delivered so far, by the simulator's wire-size estimate. */
  long bytesTotal() {
    return cluster.bytesTotal();
  }

  // ---------------------------------------------------------------------------------------------------
  // The Raft interface the lab's tests use: Start and GetState

  /** The lab's {@code rafts[server].Start(command)}; the server must be running. */
  Start start(int server, byte[] command) {
    ProposeResult result = cluster.propose(server, command);
    if (result == null) {
      throw new IllegalStateException("Start on server " + server + ", which is crashed");
    }
    if (result instanceof ProposeResult.Accepted accepted) {
      return new Start(commandIndex(running(server), accepted.index()), accepted.term(), true);
    }
    return new Start(-1, ((ProposeResult.NotLeader) result).term(), false);
  }

  /** The term of a running server (the first half of the lab's GetState). */
  long term(int server) {
    return running(server).currentTerm();
  }

  /** Whether a running server believes it leads (the second half of the lab's GetState). */
  boolean isLeader(int server) {
    return running(server).role() == Role.Leader;
  }

  private RaftNode running(int server) {
    RaftNode node = cluster.node(server);
    if (node == null) {
      throw new IllegalStateException("server " + server + " is crashed");
    }
    return node;
  }

  /**
   * The number of client commands in {@code node}'s log at indexes 1..logIndex. Up to the node's commit
   * index its log is the cluster's committed prefix (State Machine Safety), counted once for all; only the
   * uncommitted rest of its log is scanned.
   */
  private long commandIndex(RaftNode node, long logIndex) {
    long committedPart = Math.min(logIndex, node.commitIndex());
    long commands = committedCommandsUpTo(committedPart);
    for (long k = committedPart + 1; k <= logIndex; k++) {
      if (node.logEntry(k).command().length > 0) {
        commands++;
      }
    }
    return commands;
  }

  /** Client commands among the first {@code index} committed entries of the run. */
  private long committedCommandsUpTo(long index) {
    List<LogEntry> committed = cluster.committed();
    while (commandsUpTo.size() <= committed.size()) {
      int k = commandsUpTo.size();
      boolean isCommand = committed.get(k - 1).command().length > 0;
      commandsUpTo.add(commandsUpTo.get(k - 1) + (isCommand ? 1 : 0));
    }
    return commandsUpTo.get((int) index);
  }

  // ---------------------------------------------------------------------------------------------------
  // Checks (the lab's checkOneLeader, checkTerms, checkNoLeader, nCommitted, wait, one)

  /**
   * Up to ten times, sleeps 450–550 ms and looks for connected servers that lead: fails if two lead one
   * term, returns the leader of the latest term if there is one; fails if none appeared (about 5 s).
   */
  int checkOneLeader() {
    for (int attempt = 0; attempt < 10; attempt++) {
      sleep(450 + random.nextInt(100));
      TreeMap<Long, Integer> leaderOfTerm = new TreeMap<>();
      for (int i = 1; i <= servers; i++) {
        if (connected(i) && isUp(i) && isLeader(i)) {
          Integer other = leaderOfTerm.put(term(i), i);
          if (other != null) {
            throw failure("term " + term(i) + " has two leaders: " + other + " and " + i);
          }
        }
      }
      if (!leaderOfTerm.isEmpty()) {
        return leaderOfTerm.lastEntry().getValue();
      }
    }
    throw failure("expected one leader, got none");
  }

  /** The term all connected servers agree on; fails if they disagree. */
  long checkTerms() {
    long term = -1;
    for (int i = 1; i <= servers; i++) {
      if (connected(i) && isUp(i)) {
        long t = term(i);
        if (term == -1) {
          term = t;
        } else if (term != t) {
          throw failure("servers disagree on term: " + term + " and " + t + " (server " + i + ")");
        }
      }
    }
    return term;
  }

  void checkNoLeader() {
    for (int i = 1; i <= servers; i++) {
      if (connected(i) && isUp(i) && isLeader(i)) {
        throw failure("expected no leader among connected servers, but " + i + " claims to lead term "
            + term(i));
      }
    }
  }

  /**
   * How many servers (connected or not, running or not) have applied command index {@code index}, and the
   * command there; fails if two servers applied different commands at it.
   */
  Committed nCommitted(long index) {
    int count = 0;
    byte[] command = null;
    for (int i = 1; i <= servers; i++) {
      harvest(i);
      List<byte[]> mine = applied.get(i);
      if (index >= 1 && index <= mine.size()) {
        byte[] c = mine.get((int) index - 1);
        if (count > 0 && !Arrays.equals(command, c)) {
          throw failure("committed values do not match at command index " + index + ": "
              + Commands.show(command) + " and " + Commands.show(c) + " (server " + i + ")");
        }
        count++;
        command = c;
      }
    }
    return new Committed(count, command);
  }

  /**
   * Waits, with growing pauses (10 ms doubling to 1.28 s, 30 tries), until at least {@code n} servers
   * applied command index {@code index}, and returns the command; fails if too few did. Returns null early
   * if {@code startTerm >= 0} and some running server moved past it (the lab's {@code -1}).
   */
  byte @Nullable [] wait(long index, int n, long startTerm) {
    long pause = 10;
    for (int attempt = 0; attempt < 30; attempt++) {
      if (nCommitted(index).count() >= n) {
        break;
      }
      sleep(pause);
      if (pause < 1_000) {
        pause *= 2;
      }
      if (startTerm >= 0) {
        for (int i = 1; i <= servers; i++) {
          if (isUp(i) && term(i) > startTerm) {
            return null;
          }
        }
      }
    }
    Committed committed = nCommitted(index);
    if (committed.count() < n) {
      throw failure("only " + committed.count() + " decided for command index " + index + "; wanted " + n);
    }
    return committed.command();
  }

  /** The lab's {@code one}: see {@link OneCall}. Returns the command index at which it was applied. */
  long one(byte[] command, int expectedServers, boolean retry) {
    OneCall call = new OneCall(this, command, expectedServers, retry);
    spawn(call);
    advance(Long.MAX_VALUE, call::finished);
    return call.index();
  }

  long one(long command, int expectedServers, boolean retry) {
    return one(Commands.number(command), expectedServers, retry);
  }

  // ---------------------------------------------------------------------------------------------------
  // Virtual time and logical clients

  /** Starts {@code client} now, beside the test's own thread of control. */
  void spawn(LogicalClient client) {
    wakes.add(new Wake(now(), wakeSequence++, client));
  }

  /** The lab's {@code time.Sleep}: the cluster and every spawned client run for {@code millis}. */
  void sleep(long millis) {
    advance(now() + millis, () -> false);
  }

  /**
   * Runs until every one of {@code clients} finished (the lab's {@code wg.Wait()} or a read of every
   * client's channel); fails if that takes more than {@code maxMillis}.
   */
  void awaitAll(List<? extends LogicalClient> clients, long maxMillis) {
    long deadline = now() + maxMillis;
    advance(deadline, () -> clients.stream().allMatch(LogicalClient::finished));
    if (!clients.stream().allMatch(LogicalClient::finished)) {
      throw failure("clients still running after " + maxMillis + " ms");
    }
  }

  private void advance(long deadline, BooleanSupplier done) {
    while (!done.getAsBoolean()) {
      Wake next = wakes.peek();
      if (next == null || next.time() > deadline) {
        if (deadline == Long.MAX_VALUE) {
          throw new IllegalStateException("waiting for a client that is not scheduled");
        }
        cluster.runFor(deadline - now());
        return;
      }
      wakes.poll();
      cluster.runFor(next.time() - now());
      long pause = next.client().act();
      if (pause != LogicalClient.FINISHED) {
        wakes.add(new Wake(now() + pause, wakeSequence++, next.client()));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Applied commands, across restarts

  /** Reads what server {@code server} applied since the last look; no-op entries are not commands. */
  private void harvest(int server) {
    List<LogEntry> entries = cluster.applied(server);
    List<byte[]> mine = applied.get(server);
    for (; scanned[server] < entries.size(); scanned[server]++) {
      byte[] command = entries.get(scanned[server]).command();
      if (command.length == 0) {
        continue;
      }
      int position = appliedSinceStart[server]++;
      if (position < mine.size()) {
        if (!Arrays.equals(mine.get(position), command)) {
          throw failure("server " + server + " applied " + Commands.show(command) + " at command index "
              + (position + 1) + " after a restart, but " + Commands.show(mine.get(position)) + " before");
        }
      } else {
        mine.add(command);
      }
    }
  }

  /** An assertion failure that says when it happened and how the cluster was set up. */
  AssertionError failure(String message) {
    return new AssertionError(message + " [virtual time " + now() + " ms; " + cluster.describe() + "]");
  }
}
