package org.raftref.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code raftref get KEY}: a linearizable read, through the log. */
@Command(name = "get", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Prints the value of KEY, read through the log (linearizable). "
        + "Exit 0: printed; 3: KEY has no value; 1: no leader answered in time; 2: bad options.")
final class GetCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY")
  private String key = "";

  @Mixin
  private ClientOptions client = new ClientOptions();

  private final PrintWriter out;

  GetCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException, InterruptedException {
    KvResult result = RaftrefMain.execute(client, new KvCommand.Get(key));
    if (result instanceof KvResult.Value found) {
      out.println(found.value());
      return RaftrefMain.EXIT_OK;
    }
    if (result instanceof KvResult.NotFound) {
      throw new CliException(RaftrefMain.EXIT_NOT_FOUND, "key \"" + key + "\" has no value");
    }
    throw new CliException(RaftrefMain.EXIT_FAILURE, "unexpected answer " + result);
  }
}
