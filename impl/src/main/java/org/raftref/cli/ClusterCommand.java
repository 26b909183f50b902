package org.raftref.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code raftref cluster start|stop}: a local cluster of server processes on loopback. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Starts or stops a local cluster of server processes on loopback, in the background.")
final class ClusterCommand implements Callable<Integer> {

  private final PrintWriter err;

  ClusterCommand(PrintWriter err) {
    this.err = err;
  }

  @Override
  public Integer call() {
    err.println("raftref cluster: missing command: start or stop (see 'raftref cluster --help')");
    return RaftrefMain.EXIT_USAGE;
  }
}
