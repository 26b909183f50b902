package org.raftref.tracecheck.cli;

import org.raftref.tracecheck.demo.DemoCommand;
import org.raftref.tracecheck.tlc.ModelCheckCommand;
import org.raftref.tracecheck.viewer.ViewCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code trace-check} command line. Subcommands: {@code validate} ({@link ValidateCommand}), {@code view}
 * ({@link ViewCommand}), {@code demo} ({@link DemoCommand}), {@code model-check} ({@link ModelCheckCommand}).
 * A wrong command line prints picocli's usage message and exits with 2.
 */
@Command(
    name = "trace-check",
    mixinStandardHelpOptions = true,
    subcommands = {ValidateCommand.class, ViewCommand.class, DemoCommand.class, ModelCheckCommand.class},
    description = "Checks Raft traces and the spec with TLC.")
public final class TraceCheckMain implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, such as validate");
  }

  public static void main(String[] args) {
    System.exit(DemoCommand.configure(new CommandLine(new TraceCheckMain())).execute(args));
  }
}
