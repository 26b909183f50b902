package org.raftref.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.runtime.trace.LamportMerge;
import org.raftref.runtime.trace.TraceMergeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code raftref merge-traces DIR --out FILE}: one causally ordered trace from the servers' traces. */
@Command(name = "merge-traces", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Merges the traces that servers wrote with --trace DIR into one trace ordered by Lamport time "
        + "(consistent with causality), for trace-check validate. Exit 0: merged; 1: the files do not fit together.")
final class MergeTracesCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The servers' --trace directory.")
  private @Nullable Path dir;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The merged trace (replaced).")
  private @Nullable Path output;

  private final PrintWriter out;

  MergeTracesCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException {
    Path target = RaftrefMain.required(output, "--out");
    try {
      LamportMerge.Result result = LamportMerge.merge(RaftrefMain.required(dir, "DIR"), target);
      for (String note : result.notes()) {
        out.println("note: " + note);
      }
      out.println("merged " + result.events() + " events of " + result.files() + " traces into " + target);
      return RaftrefMain.EXIT_OK;
    } catch (TraceMergeException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, String.valueOf(e.getMessage()));
    } catch (IOException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "cannot read or write the traces: " + String.valueOf(e.getMessage()));
    }
  }
}
