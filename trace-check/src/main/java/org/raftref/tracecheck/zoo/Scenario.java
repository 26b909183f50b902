package org.raftref.tracecheck.zoo;

/**
 * A simulator run that exercises a bug: the cluster seed, a fault schedule in the text form of
 * {@code org.raftref.sim.FaultSchedule} (docs/simulator.md), the batch size of AppendEntries (small batches
 * let a follower hold older entries without the newer ones, which several bugs need), and a step limit that
 * ends the safety phase early so that the trace stays short.
 */
public record Scenario(long seed, String schedule, int maxEntriesPerAppend, long maxSafetySteps) {

  /** A short, file-name-safe key: runs of one scenario are the same run, so the control is shared. */
  public String key() {
    return "s" + seed + "-b" + maxEntriesPerAppend + "-n" + maxSafetySteps + "-"
        + Integer.toHexString(schedule.hashCode());
  }

  /** The simulator command line that replays the run (with the default batch size). */
  public String replay() {
    return "--seed " + seed + " --schedule '" + schedule + "' --steps " + maxSafetySteps;
  }
}
