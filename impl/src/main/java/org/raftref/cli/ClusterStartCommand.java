package org.raftref.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.runtime.ServerStatus;
import org.raftref.runtime.client.ClientProtocolException;
import org.raftref.runtime.client.RaftClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftref cluster start --dir DIR}: starts every node of a local cluster (or one node again, with
 * {@code --node}) as a background JVM process, then waits until they answer and one leads.
 */
@Command(name = "start", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Starts a local cluster on loopback as background processes (one JVM per node), writing pids "
        + "and logs into DIR, and waits until a leader is elected. With --node, starts that one node of the "
        + "cluster in DIR again. Exit 0: running; 1: a node did not start (its log's last line is shown).")
final class ClusterStartCommand implements Callable<Integer> {

  private static final long POLL_MILLIS = 50;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the cluster's files go.")
  private @Nullable Path dir;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes of a new cluster (default: ${DEFAULT-VALUE}).")
  private int nodes = 3;

  @Option(names = "--base-port", paramLabel = "PORT", description = "Peer port of node 1 of a new cluster; node N "
      + "listens on PORT+N-1 for peers and 1000 above for clients (default: ${DEFAULT-VALUE}).")
  private int basePort = 7001;

  @Option(names = "--node", paramLabel = "ID", description = "Start only this node of the cluster in DIR (after a "
      + "crash, say).")
  private @Nullable Integer node;

  @Option(names = "--trace", description = "Servers write traces into DIR/traces (see 'raftref server --help').")
  private boolean trace;

  @Option(names = "--trace-memory", paramLabel = "SIZE", description = "Passed to the servers of a new cluster, "
      + "with --trace.")
  private @Nullable String traceMemory;

  @Option(names = "--trace-memory-dir", paramLabel = "DIR", description = "Passed to the servers of a new "
      + "cluster, with --trace.")
  private @Nullable Path traceMemoryDir;

  @Option(names = "--tick", paramLabel = "DURATION", description = "Passed to the servers of a new cluster.")
  private @Nullable String tick;

  @Option(names = "--election-ticks", paramLabel = "N", description = "Passed to the servers of a new cluster.")
  private @Nullable Integer electionTicks;

  @Option(names = "--heartbeat-ticks", paramLabel = "N", description = "Passed to the servers of a new cluster.")
  private @Nullable Integer heartbeatTicks;

  @Option(names = "--java-option", paramLabel = "OPTION", description = "An option for the servers' JVMs "
      + "(repeatable; default: -Xmx256m -XX:+UseSerialGC).")
  private List<String> javaOptions = new ArrayList<>();

  @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How long to wait for the nodes to answer and elect a leader (default: 60s).")
  private Duration wait = Duration.ofSeconds(60);

  private final PrintWriter out;

  ClusterStartCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException, InterruptedException {
    Path clusterDir = RaftrefMain.required(dir, "--dir");
    ClusterLayout layout = ClusterLayout.read(clusterDir);
    if (layout == null) {
      if (node != null) {
        throw new CliException(RaftrefMain.EXIT_FAILURE, "--node " + node + ": " + clusterDir
            + " holds no cluster (no " + ClusterLayout.FILE + "); start the whole cluster first");
      }
      layout = ClusterLayout.create(clusterDir, nodes, basePort, serverOptions(clusterDir));
      layout.write();
    }
    List<Integer> toStart = node != null ? List.of(node) : layout.peers().ids();
    for (int id : toStart) {
      if (!layout.peers().nodes().containsKey(id)) {
        throw new CliException(RaftrefMain.EXIT_USAGE, "--node " + id + " is not a node of the cluster in "
            + clusterDir + " " + layout.peers().ids());
      }
      Optional<ProcessHandle> running = runningServer(layout, id);
      if (running.isPresent()) {
        throw new CliException(RaftrefMain.EXIT_FAILURE, "node " + id + " runs already (pid " + running.get().pid()
            + "); stop it first: raftref cluster stop --dir " + clusterDir);
      }
    }
    Map<Integer, Process> started = new LinkedHashMap<>();
    try {
      for (int id : toStart) {
        started.put(id, startServer(layout, id));
      }
      int leader = awaitReady(layout, started);
      for (Map.Entry<Integer, Process> e : started.entrySet()) {
        out.println("started node " + e.getKey() + " (pid " + e.getValue().pid() + "): peers on "
            + ServerCommand.address(layout.peers().address(e.getKey())) + ", clients on "
            + ServerCommand.address(layout.clients().address(e.getKey())) + ", log "
            + layout.logFile(e.getKey()));
      }
      out.println("cluster in " + clusterDir + " is up; node " + leader + " leads. Clients: --cluster "
          + layout.clients() + ". Stop it with: raftref cluster stop --dir " + clusterDir);
      return RaftrefMain.EXIT_OK;
    } catch (CliException | InterruptedException | RuntimeException e) {
      for (Map.Entry<Integer, Process> s : started.entrySet()) {
        s.getValue().destroyForcibly();
        deleteQuietly(layout.pidFile(s.getKey()));
      }
      throw e;
    }
  }

  private List<String> serverOptions(Path clusterDir) {
    List<String> options = new ArrayList<>();
    if (trace) {
      options.add("--trace=" + clusterDir.resolve("traces").toAbsolutePath());
      if (traceMemory != null) {
        options.add("--trace-memory=" + traceMemory);
      }
      if (traceMemoryDir != null) {
        options.add("--trace-memory-dir=" + traceMemoryDir.toAbsolutePath());
      }
    }
    if (tick != null) {
      options.add("--tick=" + tick);
    }
    if (electionTicks != null) {
      options.add("--election-ticks=" + electionTicks);
    }
    if (heartbeatTicks != null) {
      options.add("--heartbeat-ticks=" + heartbeatTicks);
    }
    return options;
  }

  private Optional<ProcessHandle> runningServer(ClusterLayout layout, int id) throws CliException {
    Path pidFile = layout.pidFile(id);
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    try {
      return ServerProcesses.liveServer(ServerProcesses.readPid(pidFile));
    } catch (IOException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "cannot read " + pidFile + ": " + e.getMessage());
    }
  }

  private Process startServer(ClusterLayout layout, int id) throws CliException {
    List<String> command = ServerProcesses.raftrefCommand(javaOptions.isEmpty()
        ? List.of("-Xmx256m", "-XX:+UseSerialGC") : javaOptions);
    command.add("server");
    command.add("--id=" + id);
    command.add("--peers=" + layout.peers());
    command.add("--client-port=" + layout.clients().address(id).getPort());
    command.add("--data=" + layout.dataDir(id).toAbsolutePath());
    command.addAll(layout.serverOptions());
    try {
      Process process = ServerProcesses.start(command, layout.logFile(id));
      ServerProcesses.writePid(layout.pidFile(id), process.pid());
      return process;
    } catch (IOException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "cannot start node " + id + ": " + e.getMessage());
    }
  }

  /**
   * Waits until every started node answers a status request and some node leads; returns the leader.
   * Polls every {@value #POLL_MILLIS} ms: the servers are other processes, nothing can notify this one.
   */
  private int awaitReady(ClusterLayout layout, Map<Integer, Process> started)
      throws CliException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    String lastProblem = "no node answered yet";
    try (RaftClient client = new RaftClient(layout.clients().asMap(), Duration.ofSeconds(1))) {
      while (System.nanoTime() - deadline < 0) {
        for (Map.Entry<Integer, Process> e : started.entrySet()) {
          if (!e.getValue().isAlive()) {
            String last = ServerProcesses.lastLine(layout.logFile(e.getKey()));
            throw new CliException(RaftrefMain.EXIT_FAILURE, "node " + e.getKey() + " exited with status "
                + e.getValue().exitValue() + " while starting: " + (last == null ? "its log is empty" : last));
          }
        }
        int answered = 0;
        int leader = 0;
        for (int id : layout.peers().ids()) {
          try {
            ServerStatus status = client.status(id, Duration.ofSeconds(1));
            answered += started.containsKey(id) ? 1 : 0;
            if (status.isLeader()) {
              leader = id;
            }
          } catch (IOException | ClientProtocolException e) {
            lastProblem = "node " + id + ": " + e.getMessage();
          }
        }
        if (answered == started.size() && leader != 0) {
          return leader;
        }
        if (answered == started.size()) {
          lastProblem = "no node leads yet";
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
    throw new CliException(RaftrefMain.EXIT_FAILURE, "the cluster was not ready within " + wait.toSeconds()
        + " s (" + lastProblem + "); logs are in " + layout.dir());
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale pid file is recognised later: its process is gone
    }
  }
}
