package org.raftref.tracecheck.demo;

import java.nio.file.Path;
import org.raftref.sim.FaultMix;

/**
 * What one demo run does.
 *
 * @param seed the simulator's seed: every random choice of the run comes from it
 * @param nodes the cluster size (3 or 5: small enough for TLC to replay the trace quickly)
 * @param durationMillis virtual time of the simulator's safety phase
 * @param maxSteps the safety phase also ends after this many simulated steps ({@code Long.MAX_VALUE}: no limit)
 * @param faults the faults of the safety phase
 * @param outDir where the trace, the text report and the HTML page go
 * @param specDir the directory holding Raft.tla, TraceRaft.tla and the model-checking configurations
 * @param modelCheck whether to run the {@code ci} model-checking configuration (one to two minutes)
 * @param tlcHeap {@code -Xmx} of every forked TLC JVM
 */
public record DemoSettings(long seed, int nodes, long durationMillis, long maxSteps, FaultMix faults,
    Path outDir, Path specDir, boolean modelCheck, String tlcHeap) {

  /** The model-checking configuration the demo runs: the one {@code mvn verify} checks. */
  public static final String MODEL_CONFIGURATION = "ci";

  public DemoSettings {
    if (nodes != 3 && nodes != 5) {
      throw new IllegalArgumentException("--nodes must be 3 or 5, was " + nodes);
    }
    if (durationMillis <= 0) {
      throw new IllegalArgumentException("--duration must be positive, was " + durationMillis + " ms");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("--steps must be at least 1, was " + maxSteps);
    }
  }

  /** The simulator command line that repeats the simulation of this demo, event for event. */
  public String simulatorArgs() {
    return "--seed " + seed + " --nodes " + nodes + " --duration " + durationMillis + "ms --faults "
        + faults.label() + (maxSteps != Long.MAX_VALUE ? " --steps " + maxSteps : "");
  }
}
