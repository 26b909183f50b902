package org.raftref.tracecheck.zoo;

import java.nio.file.Path;

/**
 * Public, as are {@link Scenario} and {@link ZooRun}: the driver that implements it lives in another runtime
 * package (same name, other class loader). Runs a {@link Scenario} in the simulator and writes its ndjson
 * trace. Loaded by the zoo's own class loader; its implementation ({@link ZooDriver}) is loaded by a {@link MutantClassLoader}, so that it drives the
 * mutated core.
 */
public interface ScenarioRunner {
  ZooRun run(Scenario scenario, Path traceFile);
}
