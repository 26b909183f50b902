package org.raftref.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a {@link ScheduledRun} did and whether it passed. Nothing here depends on the wall clock, so the same
 * seed and schedule give the same summary, character for character.
 *
 * @param seed the cluster's seed
 * @param nodes the cluster size
 * @param failure why the run failed, or null if it passed
 * @param virtualMillis virtual time at the end of the run
 * @param steps node inputs processed (ticks, deliveries, proposals)
 * @param healedAtMillis when the liveness phase began, or -1 if the run stopped before it
 * @param livenessMillis virtual time from the heal until the new command committed, or -1 if it did not
 * @param livenessBoundMillis the most {@code livenessMillis} may be
 * @param leaderOfTerm term → the node that led it, for every term that had a leader
 * @param maxTerm the highest current term of a running node at the end
 * @param committedEntries entries committed, leaders' no-ops included
 * @param commandsProposed client commands accepted by a node that believed it was the leader
 * @param commandsCommitted client commands among the committed entries
 * @param faultsApplied faults of the schedule applied in the safety phase
 * @param crashes running nodes crashed (by a crash or restart fault, or kept down for the liveness phase)
 * @param restarts nodes restarted from their disk
 * @param messagesSent messages handed to the network
 * @param messagesDropped copies of messages lost (loss, partition, disconnect, crash of the sender)
 * @param messagesDuplicated messages the network duplicated
 * @param traceEvents trace events of the run (node steps and environment steps)
 */
public record RunSummary(
    long seed,
    int nodes,
    @Nullable Failure failure,
    long virtualMillis,
    long steps,
    long healedAtMillis,
    long livenessMillis,
    long livenessBoundMillis,
    SortedMap<Long, Integer> leaderOfTerm,
    long maxTerm,
    long committedEntries,
    long commandsProposed,
    long commandsCommitted,
    long faultsApplied,
    long crashes,
    long restarts,
    long messagesSent,
    long messagesDropped,
    long messagesDuplicated,
    long traceEvents) {

  /** The name {@link #failure()} gives a run whose new command did not commit in time. */
  public static final String LIVENESS = "Liveness";

  /**
   * Why a run failed.
   *
   * @param invariant the invariant's name as {@link InvariantChecker} spells it, or {@link #LIVENESS}
   * @param detail what was seen
   * @param phase {@code safety} or {@code liveness}
   * @param atMillis virtual time of the failure
   * @param atStep the step count at the failure
   */
  public record Failure(String invariant, String detail, String phase, long atMillis, long atStep) {}

  public boolean passed() {
    return failure == null;
  }

  /** The summary as a few lines of text, the verdict last. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    lines.add("virtual time " + virtualMillis + " ms, " + steps + " steps, " + traceEvents + " trace events");
    lines.add("leaders per term: " + leadersText() + " (" + leaderOfTerm.size() + " of " + maxTerm
        + " terms had a leader)");
    lines.add("commits: " + committedEntries + " entries, " + commandsCommitted + " of " + commandsProposed
        + " client commands proposed to a leader");
    lines.add("messages: " + messagesSent + " sent, " + messagesDropped + " dropped, " + messagesDuplicated
        + " duplicated");
    lines.add("faults: " + faultsApplied + " applied, " + crashes + " crashes, " + restarts + " restarts");
    if (healedAtMillis < 0) {
      lines.add("liveness: not reached");
    } else if (livenessMillis < 0 && failure != null && !failure.invariant().equals(LIVENESS)) {
      lines.add("liveness: healed at " + healedAtMillis + " ms; stopped by the failure below");
    } else if (livenessMillis < 0) {
      lines.add("liveness: healed at " + healedAtMillis + " ms; no new command committed within "
          + livenessBoundMillis + " ms");
    } else {
      lines.add("liveness: healed at " + healedAtMillis + " ms; a new command committed " + livenessMillis
          + " ms later (bound " + livenessBoundMillis + " ms)");
    }
    lines.add(verdictLine());
    return lines;
  }

  /** {@code verdict: OK …} or {@code verdict: FAILED <invariant> …}. */
  public String verdictLine() {
    Failure f = failure;
    if (f == null) {
      return "verdict: OK (every invariant held after every step; the new command committed within the bound)";
    }
    return "verdict: FAILED " + f.invariant() + " in the " + f.phase() + " phase at " + f.atMillis()
        + " ms, step " + f.atStep() + ": " + f.detail();
  }

  private String leadersText() {
    final int shown = 16;
    StringBuilder out = new StringBuilder();
    int count = 0;
    for (Map.Entry<Long, Integer> e : leaderOfTerm.entrySet()) {
      if (count == shown) {
        out.append(" ...");
        break;
      }
      if (count > 0) {
        out.append(' ');
      }
      out.append('t').append(e.getKey()).append("=n").append(e.getValue());
      count++;
    }
    return count == 0 ? "none" : out.toString();
  }
}
