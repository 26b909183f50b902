package org.raftref.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.RaftConfig;
import org.raftref.kv.KvStateMachine;
import org.raftref.runtime.RaftServer;
import org.raftref.runtime.ServerSettings;
import org.raftref.runtime.ServerStatus;
import org.raftref.runtime.client.ClientService;
import org.raftref.runtime.trace.JournalMemory;
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.storage.FileStorage;
import org.raftref.storage.StorageException;
import org.raftref.transport.TcpTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftref server}: runs one node of the key-value store until it is stopped (SIGTERM, Ctrl-C) or its
 * storage fails. Peers talk to it on its {@code --peers} address, clients on {@code --client-port}.
 */
@Command(name = "server", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Runs one node of the replicated key-value store until stopped (SIGTERM or Ctrl-C). "
        + "Exit 0 after a clean stop; 1 if it cannot start or its storage fails; 2 for bad options.")
final class ServerCommand implements Callable<Integer> {

  /** Clients find a node on its peer port plus this, unless --client-port says otherwise. */
  static final int CLIENT_PORT_OFFSET = 1000;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "This node's id: one of --peers.")
  private int id;

  @Option(names = "--peers", required = true, paramLabel = "ID=HOST:PORT,...", converter = PeerList.Converter.class,
      description = "Every node of the cluster (this one included) and the address it listens on for peers.")
  private @Nullable PeerList peers;

  @Option(names = "--data", required = true, paramLabel = "DIR",
      description = "The data directory: created if missing, refused if it belongs to another node id.")
  private @Nullable Path data;

  @Option(names = "--client-port", paramLabel = "PORT",
      description = "Port for clients, on the host of this node's peer address (default: peer port + "
          + CLIENT_PORT_OFFSET + ").")
  private @Nullable Integer clientPort;

  @Option(names = "--trace", paramLabel = "DIR", description = "Trace this run into DIR: while it runs, into "
      + "node-ID.K.journal (K: the K-th run of this node; a link to a file in memory, see --trace-memory); when "
      + "it stops, converted into node-ID.K.ndjson (docs/trace-format.md) and node-ID.K.clock, its Lamport "
      + "clocks. merge-traces converts what a killed run left.")
  private @Nullable Path traceDir;

  @Option(names = "--trace-memory", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Keep up to SIZE of the journal in --trace-memory-dir while the server runs, the rest on the "
          + "disk; 0 keeps it all on the disk. Used only if that directory has room for twice SIZE "
          + "(default: 256m; docs/runtime.md).")
  private long traceMemory = JournalMemory.DEFAULT_LIMIT_BYTES;

  @Option(names = "--trace-memory-dir", paramLabel = "DIR",
      description = "A directory of a memory file system for --trace-memory (default: /dev/shm).")
  private Path traceMemoryDir = JournalMemory.DEFAULT_DIR;

  @Option(names = "--tick", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Length of one tick (default: 10ms).")
  private Duration tick = ServerSettings.DEFAULT_TICK;

  @Option(names = "--election-ticks", paramLabel = "N",
      description = "Minimum election timeout in ticks; each timeout is drawn from [N, 2N) (default: ${DEFAULT-VALUE}).")
  private int electionTicks = ServerSettings.DEFAULT_ELECTION_TICKS;

  @Option(names = "--heartbeat-ticks", paramLabel = "N",
      description = "Ticks between a leader's heartbeats (default: ${DEFAULT-VALUE}).")
  private int heartbeatTicks = ServerSettings.DEFAULT_HEARTBEAT_TICKS;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of the election-timeout randomization "
      + "(default: a random one, printed at start).")
  private @Nullable Long seed;

  private final PrintWriter out;

  ServerCommand(PrintWriter out) {
    this.out = out;
  }

  @Override
  public Integer call() throws CliException, InterruptedException {
    PeerList cluster = RaftrefMain.required(peers, "--peers");
    Path dataDir = RaftrefMain.required(data, "--data");
    InetSocketAddress self = cluster.nodes().get(id);
    if (self == null) {
      throw new CliException(RaftrefMain.EXIT_USAGE, "--id " + id + " is not one of the nodes of --peers "
          + cluster.ids());
    }
    int port = clientPort != null ? clientPort : self.getPort() + CLIENT_PORT_OFFSET;
    if (port < 0 || port > 65535) {
      throw new CliException(RaftrefMain.EXIT_USAGE, "client port " + port + " is not in 0..65535"
          + (clientPort == null ? " (peer port + " + CLIENT_PORT_OFFSET + "): choose one with --client-port" : ""));
    }
    RaftConfig config;
    try {
      RaftConfig base = RaftConfig.of(id, cluster.ids());
      config = new RaftConfig(id, cluster.ids(), electionTicks, heartbeatTicks, base.maxEntriesPerAppend(),
          base.maxBytesPerAppend());
    } catch (IllegalArgumentException e) {
      throw new CliException(RaftrefMain.EXIT_USAGE, String.valueOf(e.getMessage()));
    }
    JournalMemory memory;
    try {
      memory = new JournalMemory(traceMemoryDir, traceMemory);
    } catch (IllegalArgumentException e) {
      throw new CliException(RaftrefMain.EXIT_USAGE, "--trace-memory: " + e.getMessage());
    }
    long randomSeed = seed != null ? seed : new SecureRandom().nextLong();
    ServerSettings settings = new ServerSettings(config, tick, ServerSettings.DEFAULT_MAX_COMMAND_BYTES,
        ServerSettings.DEFAULT_MAILBOX_CAPACITY, randomSeed);
    Running running =
        start(settings, cluster, self, dataDir, new InetSocketAddress(self.getAddress(), port), memory);
    Thread hook = new Thread(running::close, "raftref-" + id + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("raftref server " + id + " running: peers on " + address(self) + ", clients on "
        + address(running.clients.address()) + ", data in " + dataDir + ", trace " + running.trace
        + ", seed " + randomSeed + "; " + running.server.recovery());
    out.flush();
    ServerStatus end;
    try {
      end = running.server.terminated().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the server's termination future failed", e);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is closing the server
    }
    running.close();
    if (end.state() == ServerStatus.State.FAILED) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "node " + id + " stopped: " + end.failure());
    }
    out.println("raftref server " + id + " stopped: " + end.describe());
    return RaftrefMain.EXIT_OK;
  }

  /** The started pieces, closed in reverse order; {@code trace} says where the trace goes, or "off". */
  private record Running(RaftServer server, ClientService clients, String trace) {
    void close() {
      clients.close();
      server.close();
    }
  }

  private Running start(ServerSettings settings, PeerList cluster, InetSocketAddress self, Path dataDir,
      InetSocketAddress clientAddress, JournalMemory memory) throws CliException {
    FileStorage storage;
    try {
      storage = FileStorage.open(dataDir, id);
    } catch (StorageException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, String.valueOf(e.getMessage()));
    }
    TcpTransport transport = null;
    ServerSocket clientListener = null;
    TraceOutput trace = TraceOutput.none();
    try {
      transport = TcpTransport.bind(id, self, cluster.asMap(), TcpTransport.Options.DEFAULTS);
      clientListener = new ServerSocket();
      clientListener.setReuseAddress(true);
      try {
        clientListener.bind(clientAddress);
      } catch (IOException e) {
        throw new IOException("cannot listen for clients on " + address(clientAddress) + ": " + e.getMessage(), e);
      }
      if (traceDir != null) {
        trace = TraceOutput.open(traceDir, id, settings.raft().members(), settings.raft().maxEntriesPerAppend(),
            memory);
      }
    } catch (IOException | RuntimeException e) {
      storage.close();
      if (transport != null) {
        transport.close();
      }
      closeQuietly(clientListener);
      throw new CliException(RaftrefMain.EXIT_FAILURE, String.valueOf(e.getMessage()));
    }
    RaftServer server;
    try {
      server = RaftServer.start(settings, storage, transport, new KvStateMachine(), trace);
    } catch (StorageException | IOException | IllegalArgumentException e) {
      closeQuietly(clientListener);
      throw new CliException(RaftrefMain.EXIT_FAILURE, String.valueOf(e.getMessage()));
    }
    ClientService clients = ClientService.start(server, clientListener, settings.maxCommandBytes());
    return new Running(server, clients,
        trace.records() ? trace.name() + " (" + trace.journalPlacement() + ")" : "off");
  }

  private static void closeQuietly(@Nullable ServerSocket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing listens on it any more either way
      }
    }
  }

  static String address(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }
}
