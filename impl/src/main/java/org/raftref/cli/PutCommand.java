package org.raftref.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code raftref put KEY VALUE}: sets a key through the leader; prints OK once the write is committed. */
@Command(name = "put", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Sets KEY to VALUE. Prints OK once a leader has committed and applied it. "
        + "Exit 0: done; 1: no leader applied it in time (it may still take effect); 2: bad options.")
final class PutCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "KEY")
  private String key = "";

  @Parameters(index = "1", paramLabel = "VALUE")
  private String value = "";

  @Mixin
  private ClientOptions client = new ClientOptions();

  private final PrintWriter out;

  PutCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException, InterruptedException {
    KvResult result = RaftrefMain.execute(client, new KvCommand.Put(key, value));
    if (!(result instanceof KvResult.Ok)) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "unexpected answer " + result);
    }
    out.println("OK");
    return RaftrefMain.EXIT_OK;
  }
}
