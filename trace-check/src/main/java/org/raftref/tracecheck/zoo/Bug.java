package org.raftref.tracecheck.zoo;

import java.util.List;
import org.raftref.trace.TraceAction;

/**
 * A known Raft bug, injected into the core by source patches, with a scenario that exercises it and what the
 * checks are expected to say about that scenario's run.
 *
 * @param name a short identifier (also the name of its trace file)
 * @param title what is wrong, in one line
 * @param source where the rule is stated, and real projects that had the bug
 * @param patches the mutation of the core's source
 * @param scenario the simulator run that exercises it
 * @param firstBadIndex the 1-based index of the first event trace validation rejects
 * @param firstBadAction that event's action
 * @param simulatorVerdict what the simulator's own checks said about the run ({@link ZooRun#verdict()})
 */
public record Bug(String name, String title, String source, List<Patch> patches, Scenario scenario, int firstBadIndex,
    TraceAction firstBadAction, String simulatorVerdict) {

  /** The unmutated core, for the positive control of {@code scenario}. */
  static Bug control(Scenario scenario) {
    return new Bug("control-" + scenario.key(), "the core as it is", "", List.of(), scenario, 0,
        TraceAction.Persist, "passed");
  }

  /** The same mutation with another scenario (and no expectations yet): for SeedSearch. */
  Bug withScenario(Scenario other) {
    return new Bug(name, title, source, patches, other, 0, firstBadAction, "");
  }

  @Override
  public String toString() {
    return name;
  }
}
