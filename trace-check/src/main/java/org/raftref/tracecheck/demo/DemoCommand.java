package org.raftref.tracecheck.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.tools.ToolProvider;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.sim.FaultMix;
import org.raftref.sim.SimulatorMain;
import org.raftref.tracecheck.tlc.ModelConfiguration;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.zoo.Bug;
import org.raftref.tracecheck.zoo.BugCatalog;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trace-check demo}: the project's main job on one seed (see {@link Demo}).
 *
 * <p>Exit status: 0 the simulation passed, its trace is valid and the model check (if run) found no error
 * (with {@code --inject}: the injected bug was caught, see {@link InjectedBugDemo}); 1 one of them failed (the report says which); 2 a wrong command line or an output directory that cannot be
 * written (one line on stderr).
 */
@Command(
    name = "demo",
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = "Simulates a Raft cluster under faults from a seed, validates its trace against the TLA+ spec "
        + "with TLC, model-checks the spec (configuration ci), and writes a report and an HTML trace viewer.")
public final class DemoCommand implements Callable<Integer> {

  static final int EXIT_PASSED = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the simulation (default: a random seed, "
      + "printed first).")
  private @Nullable Long seed;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Cluster size: 3 or 5 "
      + "(default: ${DEFAULT-VALUE}).")
  private int nodes;

  @Option(names = "--steps", paramLabel = "N", description = "End the simulation's fault phase after N steps "
      + "(default: no limit; --duration ends it).")
  private @Nullable Long steps;

  @Option(names = "--duration", paramLabel = "TIME", converter = SimulatorMain.Durations.class,
      defaultValue = "10s", description = "Virtual time of the fault phase: 500ms, 10s, 1m (default: ${DEFAULT-VALUE}).")
  private long durationMillis;

  @Option(names = "--faults", paramLabel = "MIX", defaultValue = "all", description = "none, loss, partitions, "
      + "crashes or all (default: ${DEFAULT-VALUE}).")
  private FaultMix faults = FaultMix.ALL;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/demo", description = "Where the trace, "
      + "report.txt and trace.html go (default: ${DEFAULT-VALUE}).")
  private Path outDir = Path.of("target", "demo");

  @Option(names = "--no-model-check", description = "Skip the model check of the spec (it takes a minute or two).")
  private boolean noModelCheck;

  @Option(names = "--spec-dir", paramLabel = "DIR", description = "The spec directory (default: spec/ here or "
      + "in a parent directory).")
  private @Nullable Path specDir;

  @Option(names = "--tlc-heap", paramLabel = "SIZE", defaultValue = "1g", description = "-Xmx of each TLC JVM "
      + "(default: ${DEFAULT-VALUE}).")
  private String tlcHeap = "1g";

  @Option(names = "--inject", paramLabel = "BUG", description = "Compile a known bug of the bug zoo into the "
      + "core (docs/bug-zoo.md) and run its scenario instead of the seeded simulation: validation should reject "
      + "the trace, and the viewer highlights the failing event. Exit 0 when the bug is caught. Needs a JDK.")
  private @Nullable String inject;

  @CommandLine.Spec
  private CommandLine.Model.@Nullable CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine commandLine = java.util.Objects.requireNonNull(spec).commandLine();
    PrintWriter out = commandLine.getOut();
    DemoSettings settings;
    try {
      if (!tlcHeap.matches("\\d+[kKmMgG]?")) {
        throw new IllegalArgumentException("--tlc-heap must look like 512m or 2g, was '" + tlcHeap + "'");
      }
      Path dir = specDir != null ? ModelConfiguration.requireSpecDir(specDir) : ModelConfiguration.findSpecDir();
      settings = new DemoSettings(seed != null ? seed : new SplittableRandom().nextLong(), nodes, durationMillis,
          steps != null ? steps : Long.MAX_VALUE, faults, outDir, dir, !noModelCheck, tlcHeap);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage());
    }
    try {
      if (inject != null) {
        return injected(commandLine, inject, settings);
      }
      return new Demo(settings, out).run().passed() ? EXIT_PASSED : EXIT_FAILED;
    } catch (IOException | UncheckedIOException e) {
      return fail(commandLine, "cannot write " + outDir + " or start TLC: " + e.getMessage());
    } catch (TraceInputException e) {
      return fail(commandLine, "the simulator's trace does not read back (a bug in the trace writer): "
          + e.getMessage());
    }
  }

  private static int injected(CommandLine commandLine, String name, DemoSettings settings)
      throws IOException, TraceInputException {
    Optional<Bug> bug = BugCatalog.named(name);
    if (bug.isEmpty()) {
      return fail(commandLine, "--inject: no bug named '" + name + "' in the bug zoo; known bugs: "
          + BugCatalog.names());
    }
    if (ToolProvider.getSystemJavaCompiler() == null) {
      return fail(commandLine, "--inject compiles the mutated core at run time and needs a JDK (this Java "
          + "runtime, " + System.getProperty("java.home") + ", has no compiler)");
    }
    return new InjectedBugDemo(bug.get(), settings, commandLine.getOut()).run().caught() ? EXIT_PASSED
        : EXIT_FAILED;
  }

  private static int fail(CommandLine commandLine, String message) {
    commandLine.getErr().println("demo: " + message);
    commandLine.getErr().flush();
    return EXIT_USAGE;
  }

  /**
   * Installs the demo's handling of a wrong command line on {@code root}, the {@code trace-check} command line
   * that has {@code demo} as a subcommand: a wrong demo option is one line on stderr naming the option (exit
   * 2); other subcommands keep the handler they had. Also lets {@code --faults} be spelled in any case.
   */
  public static CommandLine configure(CommandLine root) {
    CommandLine demo = root.getSubcommands().get("demo");
    if (demo == null) {
      throw new IllegalArgumentException(root.getCommandName() + " has no demo subcommand");
    }
    demo.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine.IParameterExceptionHandler others = root.getParameterExceptionHandler();
    root.setParameterExceptionHandler((e, args) -> {
      CommandLine failed = e.getCommandLine();
      if (failed != demo) {
        return others.handleParseException(e, args);
      }
      failed.getErr().println("demo: " + String.valueOf(e.getMessage()).replace('\n', ' ').trim()
          + " (see demo --help)");
      failed.getErr().flush();
      return EXIT_USAGE;
    });
    return root;
  }
}
