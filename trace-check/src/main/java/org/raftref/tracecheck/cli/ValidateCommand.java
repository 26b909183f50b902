package org.raftref.tracecheck.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.validate.TlcProcess;
import org.raftref.tracecheck.validate.TraceValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code trace-check validate FILE...}: replays each trace through spec/TraceRaft.tla with TLC.
 *
 * <p>Exit status: 0 every trace is valid; 1 some trace is not (the report names the first event that does
 * not match, or TLC's error); 2 bad input (a file that is not a readable trace, named in one line on stderr,
 * or a wrong command line). Bad input wins over invalid: a run that could not read everything proves nothing.
 */
@Command(
    name = "validate",
    sortOptions = false,
    description = "Replays traces written by NdjsonSink (docs/trace-format.md) through spec/TraceRaft.tla with "
        + "TLC. Exit 0: all valid; 1: some trace does not match the spec; 2: bad input.")
public final class ValidateCommand implements Callable<Integer> {

  static final int EXIT_VALID = 0;
  static final int EXIT_INVALID = 1;
  static final int EXIT_BAD_INPUT = 2;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Trace files; each is validated on its own "
      + "unless --merge is given.")
  private List<Path> files = new ArrayList<>();

  @Option(names = "--merge", description = "The files are parts of one run (one per node, say): merge them into "
      + "one causally consistent trace and validate that.")
  private boolean merge;

  @Option(names = "--spec-dir", paramLabel = "DIR", description = "Where Raft.tla and TraceRaft.tla are "
      + "(default: ${DEFAULT-VALUE}).")
  private Path specDir = Path.of("spec");

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where each validation keeps its TLC files "
      + "(default: ${DEFAULT-VALUE}).")
  private Path workDir = Path.of("target", "trace-check");

  @Option(names = "--generated-module", description = "Hand the trace to TLC as a generated TLA+ module instead "
      + "of through the Java operator override (slower; for comparison).")
  private boolean generatedModule;

  @Option(names = "--tlc-heap", paramLabel = "SIZE", description = "Heap of the TLC JVM (default: ${DEFAULT-VALUE}).")
  private String tlcHeap = "1g";

  @Spec
  private CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TraceValidator validator = new TraceValidator(specDir, workDir,
        generatedModule ? TraceValidator.Input.GENERATED_MODULE : TraceValidator.Input.OVERRIDE,
        TlcProcess.forked(tlcHeap));
    List<List<Path>> runs = new ArrayList<>();
    if (merge) {
      runs.add(files);
    } else {
      for (Path file : files) {
        runs.add(List.of(file));
      }
    }
    int exit = EXIT_VALID;
    for (List<Path> run : runs) {
      try {
        Outcome outcome = validator.validate(run);
        out.println(outcome.report());
        if (outcome instanceof Outcome.Invalid && exit == EXIT_VALID) {
          exit = EXIT_INVALID;
        }
      } catch (TraceInputException e) {
        err.println("trace-check: bad input: " + e.getMessage());
        exit = EXIT_BAD_INPUT;
      } catch (UncheckedIOException e) {
        err.println(e.getMessage());
        exit = EXIT_BAD_INPUT;
      }
      out.flush();
    }
    return exit;
  }
}
