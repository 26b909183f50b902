package org.raftref.tracecheck.zoo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.raftref.sim.FaultMix;
import org.raftref.sim.RandomSchedules;
import org.raftref.tracecheck.validate.Outcome;

/**
 * Offline search for a scenario that exercises a bug (not a test; run by hand, see docs/bug-zoo.md). For each
 * seed it generates a fault schedule, runs it with the core as it is and with the mutant, and compares the two
 * traces; at the first seed where they differ it validates both with TLC and prints the values BugCatalog
 * records. Arguments: BUG BATCH NODES DURATION_MS MAX_STEPS FROM_SEED TO_SEED [MIX].
 */
public final class SeedSearch {

  /** Longer mutant traces are skipped: the zoo's CI time stays short. */
  private static final int MAX_EVENTS = 5000;

  private SeedSearch() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    int batch = Integer.parseInt(args[1]);
    int nodes = Integer.parseInt(args[2]);
    long duration = Long.parseLong(args[3]);
    long maxSteps = Long.parseLong(args[4]);
    long from = Long.parseLong(args[5]);
    long to = Long.parseLong(args[6]);
    FaultMix mix = args.length > 7 ? FaultMix.valueOf(args[7]) : FaultMix.ALL;
    Bug bug = BugCatalog.bugs().stream().filter(b -> b.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no bug named " + name));
    Zoo zoo = new Zoo(Path.of(System.getProperty("zoo.searchDir", "target/zoo-search")));
    for (long seed = from; seed <= to; seed++) {
      String schedule = RandomSchedules.generate(seed, nodes, duration, mix).schedule().render();
      Scenario scenario = new Scenario(seed, schedule, batch, maxSteps);
      Zoo.Result control = zoo.run(Bug.control(scenario));
      Zoo.Result mutant = zoo.run(bug.withScenario(scenario));
      int diverges = Zoo.firstDifference(control.trace(), mutant.trace());
      System.out.println("seed " + seed + ": control " + control.run().verdict() + ", mutant "
          + mutant.run().verdict() + ", traces " + (diverges < 0 ? "identical" : "differ at event " + diverges)
          + " (" + (Files.readAllLines(mutant.trace()).size() - 1) + " events)");
      if (diverges < 0 || Files.readAllLines(mutant.trace()).size() > MAX_EVENTS) {
        continue; // not exercised, or a trace too long for a quick CI test (a message storm, say)
      }
      Outcome m = zoo.validate(mutant.trace());
      System.out.println(m.report());
      if (m instanceof Outcome.Invalid invalid && invalid.event() != null) {
        Outcome c = zoo.validate(control.trace());
        System.out.println(c.report());
        System.out.println("FOUND " + name + ": new Scenario(" + seed + "L, \"" + schedule + "\", " + batch + ", "
            + maxSteps + "), " + invalid.index() + ", TraceAction." + invalid.event().action() + ", \""
            + mutant.run().verdict() + "\"");
        return;
      }
    }
    System.out.println("NOT FOUND " + name + " in seeds " + from + ".." + to);
  }
}
