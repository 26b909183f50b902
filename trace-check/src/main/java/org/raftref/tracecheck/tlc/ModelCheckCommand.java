package org.raftref.tracecheck.tlc;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code model-check CONFIG}: runs TLC on a named configuration of the spec ({@code ci}, {@code deep},
 * {@code mutants/figure8-commit}, ...; {@code --list} names them all), shows its progress on standard error
 * while it runs and prints the verdict, the numbers and any error trace on standard output.
 *
 * <p>Exit status: 0 when TLC found no error (or, with {@code --expect-violation P}, when it reported a
 * violation of exactly P), 1 otherwise, 2 for a wrong command line (an unknown configuration, a bad
 * option).
 */
@Command(
    name = "model-check",
    mixinStandardHelpOptions = true,
    description = "Model-checks spec/Raft.tla with TLC (in a forked JVM) on a named configuration: a file "
        + "spec/NAME.cfg (module MCRaft) or spec/mutants/NAME.cfg (module MCRaftMutants).")
public final class ModelCheckCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "CONFIG", description = "ci, deep, mutants/NAME, ... (see --list)")
  private @Nullable String configuration;

  @Option(names = "--list", description = "List the configurations and exit.")
  private boolean list;

  @Option(names = "--workers", defaultValue = "1",
      description = "TLC worker threads (default ${DEFAULT-VALUE}; the machines have 2 shared cores).")
  private int workers;

  @Option(names = "--heap", defaultValue = "2g", description = "-Xmx of TLC's JVM (default ${DEFAULT-VALUE}).")
  private String heap = "2g";

  @Option(names = "--simulate", description = "Random simulation instead of exhaustive search.")
  private boolean simulate;

  @Option(names = "--traces", description = "Simulation: how many behaviours (default: until stopped).")
  private @Nullable Long traces;

  @Option(names = "--depth", description = "Simulation: steps per behaviour (TLC's default 100).")
  private @Nullable Integer depth;

  @Option(names = "--seed", description = "Simulation: the random seed (TLC prints the one it uses).")
  private @Nullable Long seed;

  @Option(names = "--expect-violation", paramLabel = "PROPERTY",
      description = "Succeed only if TLC reports a violation of this invariant or action property.")
  private @Nullable String expectedViolation;

  @Option(names = "--trace", description = "Print every state of an error trace, not only the actions.")
  private boolean fullTrace;

  @Option(names = "--poll", defaultValue = "5", paramLabel = "SECONDS",
      description = "Seconds between progress reports (default ${DEFAULT-VALUE}).")
  private int pollSeconds;

  @Option(names = "--spec-dir", description = "The spec directory (default: spec/ here or above).")
  private @Nullable Path specDir;

  @Option(names = "--work-dir", description = "Where runs go (default: target/tlc).")
  private @Nullable Path workDir;

  @CommandLine.Spec
  private CommandLine.Model.@Nullable CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CommandLine commandLine = java.util.Objects.requireNonNull(spec).commandLine();
    PrintWriter out = commandLine.getOut();
    PrintWriter err = commandLine.getErr();
    Path dir;
    ModelConfiguration config;
    TlcOptions options;
    try {
      dir = specDir != null ? ModelConfiguration.requireSpecDir(specDir) : ModelConfiguration.findSpecDir();
      if (list) {
        for (ModelConfiguration c : ModelConfiguration.all(dir)) {
          out.println(c.name() + "\t" + dir.relativize(c.cfgFile()) + "\t(module " + c.rootModule() + ")");
        }
        out.flush();
        return 0;
      }
      if (configuration == null) {
        throw new IllegalArgumentException("name a configuration (see --list)");
      }
      if (pollSeconds < 1) {
        throw new IllegalArgumentException("--poll must be at least 1 second, was " + pollSeconds);
      }
      config = ModelConfiguration.named(dir, configuration);
      options = TlcOptions.defaults().withWorkers(workers).withHeap(heap)
          .withPollInterval(Duration.ofSeconds(pollSeconds));
      if (simulate) {
        options = options.withSimulation(traces, depth, seed);
      } else if (traces != null || depth != null || seed != null) {
        throw new IllegalArgumentException("--traces, --depth and --seed need --simulate");
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage());
    }

    err.println("TLC: " + config.name() + " (" + dir.relativize(config.cfgFile()) + ", module "
        + config.rootModule() + "), " + workers + " worker(s), " + (simulate ? "simulation" : "exhaustive"));
    err.flush();
    TlcRunner runner = new TlcRunner(workDir != null ? workDir : TlcRunner.defaultWorkRoot());
    TlcResult result = runner.check(config, options, progress -> {
      err.println("  " + progress.describe());
      err.flush();
    });
    out.println(result.summary());
    if (fullTrace) {
      for (TraceState state : result.errorTrace()) {
        out.println(state.describe());
      }
    }
    out.flush();
    if (expectedViolation != null) {
      boolean expected = expectedViolation.equals(result.violatedProperty());
      out.println(expected ? "expected violation of " + expectedViolation + " found"
          : "expected a violation of " + expectedViolation + ", but TLC reported: "
              + (result.violatedProperty() != null ? result.violatedProperty() : result.exit().meaning()));
      out.flush();
      return expected ? 0 : 1;
    }
    return result.succeeded() ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ModelCheckCommand()).execute(args));
  }
}
