package org.raftref.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.bench.BenchCommand;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import org.raftref.runtime.client.ClusterUnavailableException;
import org.raftref.runtime.client.CommandRejectedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code raftref} command line: {@code server}, {@code put}, {@code get}, {@code status},
 * {@code cluster start|stop}, {@code merge-traces}, {@code bench}. See docs/runtime.md and docs/bench.md.
 *
 * <p>Errors are one line on standard error, "raftref COMMAND: what is wrong", never a stack trace. Exit
 * status: 0 done; 1 failed (unreachable cluster, storage, ports, ...); 2 bad command line; 3 {@code get}: the
 * key has no value.
 */
@Command(name = "raftref", mixinStandardHelpOptions = true, version = "raftref 0.1.0",
    description = "A replicated key-value store on Raft Reference: run servers, a local cluster, and clients.")
public final class RaftrefMain implements Callable<Integer> {

  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_NOT_FOUND = 3;
  /** An exception nobody expected: a bug (sysexits' EX_SOFTWARE). */
  static final int EXIT_BUG = 70;

  private final PrintWriter err;

  private RaftrefMain(PrintWriter err) {
    this.err = err;
  }

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      // One line per log record (the default takes two), in the servers' logs.
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
    }
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the command line {@code args}; returns the exit status. Never calls System.exit (tests call it). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cluster = new CommandLine(new ClusterCommand(err))
        .addSubcommand(new ClusterStartCommand(out))
        .addSubcommand(new ClusterStopCommand(out));
    CommandLine commandLine = new CommandLine(new RaftrefMain(err))
        .addSubcommand(new ServerCommand(out))
        .addSubcommand(new PutCommand(out))
        .addSubcommand(new GetCommand(out))
        .addSubcommand(new StatusCommand(out))
        .addSubcommand(cluster)
        .addSubcommand(new MergeTracesCommand(out))
        .addSubcommand(new BenchCommand(out, err));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((e, ignored) -> {
      String name = e.getCommandLine().getCommandSpec().qualifiedName();
      err.println(name + ": " + firstLine(e.getMessage()) + " (see '" + name + " --help')");
      return EXIT_USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, where, parsed) -> {
      String name = where.getCommandSpec().qualifiedName();
      if (e instanceof CliException cli) {
        err.println(name + ": " + firstLine(cli.getMessage()));
        return cli.exitCode();
      }
      if (e instanceof InterruptedException) {
        err.println(name + ": interrupted");
        return EXIT_FAILURE;
      }
      StackTraceElement[] at = e.getStackTrace();
      err.println(name + ": internal error (a bug): " + firstLine(String.valueOf(e))
          + (at.length > 0 ? " at " + at[0] : ""));
      return EXIT_BUG;
    });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    err.println("raftref: missing command: server, put, get, status, cluster, merge-traces or bench (see 'raftref --help')");
    return EXIT_USAGE;
  }

  /** A required option's value; picocli has checked it is there. */
  static <T> T required(@Nullable T value, String option) {
    if (value == null) {
      throw new IllegalStateException(option + " is required, and picocli let a command line without it through");
    }
    return value;
  }

  /** Runs one key-value command on the cluster; a refusal or an unreachable cluster is a one-line error. */
  static KvResult execute(ClientOptions client, KvCommand command) throws CliException, InterruptedException {
    try (KvClient kv = client.kvClient()) {
      KvResult result = kv.execute(command, client.timeout);
      if (result instanceof KvResult.Rejected rejected) {
        throw new CliException(EXIT_FAILURE, "the cluster refused the request: " + rejected.reason());
      }
      return result;
    } catch (ClusterUnavailableException | CommandRejectedException e) {
      throw new CliException(EXIT_FAILURE, String.valueOf(e.getMessage()));
    }
  }

  private static String firstLine(@Nullable String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }
}
