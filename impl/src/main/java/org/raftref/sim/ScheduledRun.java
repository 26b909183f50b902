package org.raftref.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.ProposeResult;
import org.raftref.core.RaftNode;
import org.raftref.core.Role;
import org.raftref.message.LogEntry;
import org.raftref.trace.TraceSink;

/**
 * Runs a {@link FaultSchedule} on a {@link Cluster} in two phases, as TigerBeetle's VOPR does.
 *
 * <ol>
 *   <li><b>Safety phase</b> ({@code durationMillis} of virtual time): the schedule's faults happen at their
 *       times, and a client proposes a new command every {@code workloadEveryMillis} to each node that
 *       believes it is the leader. The cluster checks the safety invariants after every step; nothing is
 *       required to make progress.</li>
 *   <li><b>Liveness phase</b>: the network heals (every node connected, no partition, reliable, no long
 *       reordering, no duplication), every crashed node restarts except the schedule's {@code keepDown}
 *       minority, and a client proposes one new command to the leader (again to each new leader if the one
 *       it asked loses its leadership). The command must commit within {@link #livenessBoundMillis}.</li>
 * </ol>
 *
 * <p>A run stops at the first failure: an {@link InvariantViolation} in either phase, the liveness bound
 * passing, or the run taking more steps than {@link #MAX_STEPS_PER_NODE_MILLI} allows ({@code BoundedWork}).
 * The {@link RunSummary} names the invariant, the phase, and the virtual time and step.
 */
public final class ScheduledRun {

  /**
   * Election rounds the liveness bound allows for. A round fails only if two candidates split the vote,
   * a node whose log is behind times out first, or a node whose term rose while it was cut off forces the
   * leader to step down; each of these is a chance event or happens once per node, so ten rounds is a
   * wide margin for clusters of up to 9 nodes (the measured worst cases are in docs/simulator.md).
   */
  static final int ELECTION_ROUNDS = 10;

  /**
   * The most steps a run may take per node per virtual millisecond, averaged over the run so far (plus one
   * second's worth of slack). Correct runs take at most 0.23 (measured over 2000 generated runs of 3–7 nodes,
   * half of them with a command every 10 ms); a client proposing every millisecond adds about 2. A core that
   * answers messages with ever more messages, or loops without time passing, would otherwise hang the run
   * instead of failing it.
   */
  static final long MAX_STEPS_PER_NODE_MILLI = 5;

  /** The name of the failure when a run exceeds {@link #MAX_STEPS_PER_NODE_MILLI}. */
  public static final String BOUNDED_WORK = "BoundedWork";

  private final long seed;
  private final FaultSchedule schedule;
  private final SimParams params;
  private final long livenessBoundMillis;
  private final long maxSafetySteps;
  private final RunStats stats;
  private final Cluster cluster;

  private String phase = "safety";
  private long healedAtMillis = -1;
  private long livenessMillis = -1;
  private long faultsApplied;
  private long crashes;
  private long commandsProposed;
  private long nextCommand = 1;

  /**
   * @param seed the cluster's seed: every random choice of the run comes from it
   * @param livenessBoundMillis how long the liveness phase may take (normally {@link #livenessBoundMillis})
   * @param maxSafetySteps the safety phase also ends after this many steps ({@code Long.MAX_VALUE}: only
   *     its duration ends it)
   * @param trace receives every event of the run
   */
  public ScheduledRun(long seed, FaultSchedule schedule, SimParams params, long livenessBoundMillis,
      long maxSafetySteps, TraceSink trace) {
    if (livenessBoundMillis < 0) {
      throw new IllegalArgumentException("the liveness bound must not be negative, was " + livenessBoundMillis);
    }
    if (maxSafetySteps < 0) {
      throw new IllegalArgumentException("the step limit must not be negative, was " + maxSafetySteps);
    }
    this.seed = seed;
    this.schedule = schedule;
    this.params = params;
    this.livenessBoundMillis = livenessBoundMillis;
    this.maxSafetySteps = maxSafetySteps;
    this.stats = new RunStats(trace);
    this.cluster = new Cluster(seed, schedule.nodes(), params, stats);
  }

  /** Runs {@code schedule} with the default bound and no step limit. */
  public static RunSummary run(long seed, FaultSchedule schedule, SimParams params, TraceSink trace) {
    return new ScheduledRun(seed, schedule, params, livenessBoundMillis(params), Long.MAX_VALUE, trace).run();
  }

  /**
   * How long, after the heal, a new command may take to commit:
   * {@code drain + ELECTION_ROUNDS × round + commit}, where
   * <ul>
   *   <li>{@code drain = latency + 27 + 2200} ms: a message sent before the heal may arrive that much later
   *       (labrpc's unreliable jitter plus its longest reordering delay), and a stale reply carrying a
   *       higher term can still unseat a leader until then;</li>
   *   <li>{@code round = 2 × electionTimeoutTicks × tickMillis + 2 × latency}: within that time some node's
   *       randomized timeout (at most {@code 2T − 1} ticks, plus up to one tick of phase) fires and its
   *       RequestVote round trip completes;</li>
   *   <li>{@code commit = heartbeat + 2 × latency}: the leader sends the command at once and commits when a
   *       majority's replies are back; one heartbeat period covers a leader that is still settling.</li>
   * </ul>
   * With {@link SimParams#DEFAULTS}: 2228 + 10 × 602 + 102 = 8350 ms, below the 10 s 6.824 allows its
   * {@code one()} to reach agreement.
   */
  public static long livenessBoundMillis(SimParams p) {
    long drain = p.latencyMillis() + 27L + 2200L;
    long round = 2L * p.electionTimeoutTicks() * p.tickMillis() + 2L * p.latencyMillis();
    long commit = p.heartbeatMillis() + 2L * p.latencyMillis();
    return drain + ELECTION_ROUNDS * round + commit;
  }

  /** The cluster the run drives (for its description and, after the run, its state). */
  public Cluster cluster() {
    return cluster;
  }

  /** Runs both phases (the liveness phase only if the safety phase passed) and summarizes. */
  public RunSummary run() {
    RunSummary.@Nullable Failure failure = null;
    try {
      safetyPhase();
      phase = "liveness";
      if (!livenessPhase()) {
        failure = new RunSummary.Failure(RunSummary.LIVENESS, "no new command committed within "
            + livenessBoundMillis + " ms of the heal (keepdown=" + schedule.keepDown() + ")", phase,
            cluster.now(), cluster.steps());
      }
    } catch (WorkExceeded e) {
      failure = new RunSummary.Failure(BOUNDED_WORK, "more than " + MAX_STEPS_PER_NODE_MILLI
          + " steps per node per virtual millisecond (" + cluster.steps() + " steps in " + cluster.now()
          + " ms): a message storm or a loop", phase, cluster.now(), cluster.steps());
    } catch (InvariantViolation v) {
      failure = new RunSummary.Failure(v.invariant(), Objects.requireNonNullElse(v.getMessage(), v.invariant()),
          phase, cluster.now(), cluster.steps());
    }
    return summarize(failure);
  }

  /** {@link Cluster#runUntil}, stopped with {@link WorkExceeded} if the run takes too many steps. */
  private boolean runUntil(BooleanSupplier done, long maxMillis) {
    boolean result = cluster.runUntil(() -> overWorked() || done.getAsBoolean(), maxMillis);
    if (overWorked()) {
      throw new WorkExceeded();
    }
    return result;
  }

  private boolean overWorked() {
    return cluster.steps() > MAX_STEPS_PER_NODE_MILLI * cluster.size() * (cluster.now() + 1_000);
  }

  /** Thrown out of the run when it exceeds its work budget; turned into a failure by {@link #run()}. */
  private static final class WorkExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkExceeded() {
      super(null, null, false, false);
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Safety phase

  private void safetyPhase() {
    List<TimedFault> faults = schedule.faults();
    long end = schedule.durationMillis();
    long nextProposal = schedule.workloadEveryMillis();
    int nextFault = 0;
    while (true) {
      long nextFaultAt = nextFault < faults.size() ? faults.get(nextFault).atMillis() : Long.MAX_VALUE;
      long next = Math.min(end, Math.min(nextFaultAt, nextProposal));
      if (runUntil(() -> cluster.steps() >= maxSafetySteps, next - cluster.now())) {
        return; // the step limit ends the phase early
      }
      for (; nextFault < faults.size() && faults.get(nextFault).atMillis() == cluster.now(); nextFault++) {
        apply(faults.get(nextFault).fault());
      }
      if (nextProposal == cluster.now()) {
        proposeToLeaders();
        nextProposal += schedule.workloadEveryMillis();
      }
      if (cluster.now() >= end) {
        return;
      }
    }
  }

  private void apply(Fault fault) {
    int upBefore = upCount();
    if (fault instanceof Fault.Restart restart && cluster.isUp(restart.node())) {
      crashes++; // a restart of a running node crashes it first
    }
    fault.applyTo(cluster);
    crashes += Math.max(0, upBefore - upCount());
    faultsApplied++;
  }

  private int upCount() {
    int up = 0;
    for (int i = 1; i <= cluster.size(); i++) {
      up += cluster.isUp(i) ? 1 : 0;
    }
    return up;
  }

  /** The workload: one new command to every running node that believes it leads (stale leaders too). */
  private void proposeToLeaders() {
    for (int i = 1; i <= cluster.size(); i++) {
      RaftNode n = cluster.node(i);
      if (n != null && n.role() == Role.Leader) {
        ProposeResult r = cluster.propose(i, command("c"));
        if (r instanceof ProposeResult.Accepted) {
          commandsProposed++;
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Liveness phase

  private boolean livenessPhase() {
    healedAtMillis = cluster.now();
    cluster.heal();
    cluster.setReliable(true);
    cluster.setLongReordering(false);
    cluster.setDuplicateProbability(0);
    for (int i = 1; i <= cluster.size(); i++) {
      if (schedule.keepDown().contains(i)) {
        if (cluster.isUp(i)) {
          cluster.crash(i);
          crashes++;
        }
      } else if (!cluster.isUp(i)) {
        cluster.restart(i);
      }
    }
    long deadline = healedAtMillis + livenessBoundMillis;
    List<ProposeResult.Accepted> proposals = new ArrayList<>();
    while (true) {
      int leader = currentLeader();
      if (leader == 0) {
        if (!runUntil(() -> currentLeader() != 0, deadline - cluster.now())) {
          return false;
        }
        leader = currentLeader();
      }
      ProposeResult r = cluster.propose(leader, command("live"));
      if (!(r instanceof ProposeResult.Accepted accepted)) {
        throw new IllegalStateException("node " + leader + " is leader but refused a proposal: " + r);
      }
      commandsProposed++;
      proposals.add(accepted);
      int asked = leader;
      boolean settled = runUntil(
          () -> anyCommitted(proposals) || !leads(asked, accepted.term()), deadline - cluster.now());
      if (anyCommitted(proposals)) {
        livenessMillis = cluster.now() - healedAtMillis;
        return true;
      }
      if (!settled) {
        return false;
      }
      // The node asked lost its leadership before committing: ask the next leader, as 6.824's one() does.
    }
  }

  private int currentLeader() {
    return currentLeader(cluster);
  }

  /** The running leader with the highest term, or 0 if no running node believes it leads. */
  static int currentLeader(Cluster cluster) {
    int best = 0;
    long bestTerm = -1;
    for (int i = 1; i <= cluster.size(); i++) {
      RaftNode n = cluster.node(i);
      if (n != null && n.role() == Role.Leader && n.currentTerm() > bestTerm) {
        best = i;
        bestTerm = n.currentTerm();
      }
    }
    return best;
  }

  private boolean leads(int node, long term) {
    RaftNode n = cluster.node(node);
    return n != null && n.role() == Role.Leader && n.currentTerm() == term;
  }

  /** An entry (index, term) is committed iff the committed entry at index has that term (Log Matching). */
  private boolean anyCommitted(List<ProposeResult.Accepted> proposals) {
    List<LogEntry> committed = cluster.committed();
    for (ProposeResult.Accepted p : proposals) {
      if (p.index() <= committed.size() && committed.get((int) p.index() - 1).term() == p.term()) {
        return true;
      }
    }
    return false;
  }

  private byte[] command(String prefix) {
    return (prefix + nextCommand++).getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------------

  private RunSummary summarize(RunSummary.@Nullable Failure failure) {
    long committedCommands = cluster.committed().stream().filter(e -> e.command().length > 0).count();
    long maxTerm = 0;
    for (int i = 1; i <= cluster.size(); i++) {
      RaftNode n = cluster.node(i);
      if (n != null) {
        maxTerm = Math.max(maxTerm, n.currentTerm());
      }
    }
    if (!stats.leaderOfTerm().isEmpty()) {
      maxTerm = Math.max(maxTerm, stats.leaderOfTerm().lastKey());
    }
    return new RunSummary(seed, schedule.nodes(), failure, cluster.now(), cluster.steps(), healedAtMillis,
        livenessMillis, livenessBoundMillis, stats.leaderOfTerm(), maxTerm, cluster.committed().size(),
        commandsProposed, committedCommands, faultsApplied, crashes, stats.restarts(), cluster.messagesSent(),
        stats.dropped(), stats.duplicated(), stats.events());
  }
}
