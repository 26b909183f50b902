package org.raftref.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.raftref.runtime.client.ClientProtocolException;
import org.raftref.runtime.client.RaftClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code raftref status}: one line per node: role, term, leader, commit and applied index. */
@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Prints each node's role, term, leader, commit index and applied index. "
        + "Exit 0: some node answered; 1: none did.")
final class StatusCommand implements Callable<Integer> {

  @Mixin
  private ClientOptions client = new ClientOptions();

  private final PrintWriter out;

  StatusCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException {
    int answered = 0;
    try (RaftClient raft = client.raftClient()) {
      for (int node : client.cluster.ids()) {
        try {
          out.println(raft.status(node, client.attemptTimeout()).describe());
          answered++;
        } catch (IOException | ClientProtocolException e) {
          out.println("node " + node + ": unreachable at " + ServerCommand.address(client.cluster.address(node))
              + " (" + e.getMessage() + ")");
        }
      }
    }
    if (answered == 0) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "no node of the cluster " + client.cluster + " answered");
    }
    return RaftrefMain.EXIT_OK;
  }
}
