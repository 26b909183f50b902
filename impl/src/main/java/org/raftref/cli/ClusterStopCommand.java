package org.raftref.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raftref cluster stop --dir DIR}: stops the cluster's server processes (SIGTERM, then SIGKILL). */
@Command(name = "stop", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Stops the server processes of the cluster in DIR: a clean stop (SIGTERM), and a kill if one "
        + "has not exited after 10 s. Data stays in DIR. Exit 0: stopped; 1: no cluster runs there.")
final class ClusterStopCommand implements Callable<Integer> {

  private static final long STOP_SECONDS = 10;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The cluster's directory.")
  private @Nullable Path dir;

  @Option(names = "--node", paramLabel = "ID", description = "Stop only this node.")
  private @Nullable Integer node;

  private final PrintWriter out;

  ClusterStopCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException, InterruptedException {
    Path clusterDir = RaftrefMain.required(dir, "--dir");
    ClusterLayout layout = ClusterLayout.read(clusterDir);
    if (layout == null) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, clusterDir + " holds no cluster (no " + ClusterLayout.FILE + ")");
    }
    List<Integer> ids = node != null ? List.of(node) : layout.nodesWithPidFiles();
    if (ids.isEmpty()) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "no node of the cluster in " + clusterDir
          + " runs (no node-ID.pid files)");
    }
    for (int id : ids) {
      Path pidFile = layout.pidFile(id);
      if (!Files.exists(pidFile)) {
        throw new CliException(RaftrefMain.EXIT_FAILURE, "node " + id + " does not run (no " + pidFile + ")");
      }
      try {
        long pid = ServerProcesses.readPid(pidFile);
        Optional<ProcessHandle> process = ServerProcesses.liveServer(pid);
        if (process.isPresent()) {
          stop(process.get());
          out.println("stopped node " + id + " (pid " + pid + ")");
        } else {
          out.println("node " + id + " (pid " + pid + ") was not running");
        }
        Files.delete(pidFile);
      } catch (IOException e) {
        throw new CliException(RaftrefMain.EXIT_FAILURE, "cannot read or delete " + pidFile + ": " + e.getMessage());
      }
    }
    return RaftrefMain.EXIT_OK;
  }

  private static void stop(ProcessHandle process) throws InterruptedException {
    process.destroy();
    try {
      process.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
    }
  }
}
