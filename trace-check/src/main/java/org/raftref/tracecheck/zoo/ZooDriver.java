package org.raftref.tracecheck.zoo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.raftref.sim.FaultSchedule;
import org.raftref.sim.RunSummary;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;

/**
 * Drives one scenario through the simulator. This class is loaded child-first by a {@link MutantClassLoader}
 * together with {@code org.raftref.sim.*} and the (mutated) {@code org.raftref.core.*}: its references to the
 * simulator resolve to that loader's copies. It must be public with a public no-argument constructor.
 */
public final class ZooDriver implements ScenarioRunner {

  public ZooDriver() {}

  @Override
  public ZooRun run(Scenario scenario, Path traceFile) {
    FaultSchedule schedule = FaultSchedule.parse(scenario.schedule());
    SimParams d = SimParams.DEFAULTS;
    SimParams params = new SimParams(d.tickMillis(), d.heartbeatTicks(), d.electionTimeoutTicks(),
        scenario.maxEntriesPerAppend(), d.maxBytesPerAppend(), d.latencyMillis());
    List<Integer> members = new ArrayList<>();
    for (int i = 1; i <= schedule.nodes(); i++) {
      members.add(i);
    }
    TraceHeader header = new TraceHeader(members, params.maxEntriesPerAppend(), "bug zoo " + scenario.replay());
    try (NdjsonSink sink = NdjsonSink.toFile(traceFile, header)) {
      ScheduledRun run = new ScheduledRun(scenario.seed(), schedule, params, ScheduledRun.livenessBoundMillis(params),
          scenario.maxSafetySteps(), sink);
      try {
        RunSummary summary = run.run();
        RunSummary.Failure f = summary.failure();
        return f == null
            ? new ZooRun(summary.traceEvents(), summary.steps(), null, -1, "")
            : new ZooRun(summary.traceEvents(), summary.steps(), f.invariant(), f.atStep(), f.detail());
      } catch (RuntimeException e) {
        // A mutant may break the core's own assumptions (an index out of range): the trace so far stands.
        long steps = run.cluster().steps();
        return new ZooRun(-1, steps, "Exception", steps, e.toString());
      }
    }
  }
}
