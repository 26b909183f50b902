package org.raftref.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.RaftConfig;
import org.raftref.kv.KvStateMachine;
import org.raftref.runtime.client.ClientService;
import org.raftref.runtime.trace.JournalMemory;
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.storage.FileStorage;
import org.raftref.storage.StorageException;
import org.raftref.transport.TcpTransport;

/**
 * Real servers in this JVM: {@link RaftServer}s with {@link FileStorage} in a temporary directory,
 * {@link TcpTransport} over loopback, a {@link KvStateMachine} each and a {@link ClientService}. Ports are
 * picked free below the ephemeral range ({@link FreePorts}) and kept (a restarted node binds them again). Nodes can crash
 * ({@link RaftServer#crash()}) and restart from their data directory, with a new trace incarnation.
 */
public final class LocalCluster implements AutoCloseable {

  private final Path dir;
  private final @Nullable Path traceDir;
  private JournalMemory journalMemory = JournalMemory.NONE;
  private final List<Integer> members;
  private final Duration tick;
  private final int electionTicks;
  private final long seed;
  private final Map<Integer, InetSocketAddress> peerAddresses = new TreeMap<>();
  private final Map<Integer, InetSocketAddress> clientAddresses = new TreeMap<>();
  private final Map<Integer, Node> running = new TreeMap<>();
  private int starts;

  private record Node(RaftServer server, ClientService clients) {}

  /**
   * A cluster of {@code size} nodes (not started) with data in {@code dir}, traces in {@code traceDir} if
   * not null, ticks of {@code tick} and an election timeout of {@code electionTicks} ticks.
   */
  public LocalCluster(Path dir, @Nullable Path traceDir, int size, Duration tick, int electionTicks, long seed)
      throws IOException {
    this.dir = dir;
    this.traceDir = traceDir;
    this.tick = tick;
    this.electionTicks = electionTicks;
    this.seed = seed;
    List<Integer> ids = new ArrayList<>();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int id = 1; id <= size; id++) {
      ids.add(id);
      peerAddresses.put(id, new InetSocketAddress(loopback, FreePorts.one()));
      clientAddresses.put(id, new InetSocketAddress(loopback, FreePorts.one()));
    }
    this.members = List.copyOf(ids);
  }

  /** Keeps each node's journal in {@code memory} from the next start on ({@link JournalMemory}). */
  public LocalCluster journalsIn(JournalMemory memory) {
    this.journalMemory = memory;
    return this;
  }

  public List<Integer> members() {
    return members;
  }

  /** Node id to the address its clients use. */
  public Map<Integer, InetSocketAddress> clientAddresses() {
    return Map.copyOf(clientAddresses);
  }

  public RaftConfig config(int id) {
    RaftConfig base = RaftConfig.of(id, members);
    return new RaftConfig(id, members, electionTicks, Math.max(1, electionTicks / 5), base.maxEntriesPerAppend(),
        base.maxBytesPerAppend());
  }

  public void startAll() throws IOException, StorageException {
    for (int id : members) {
      start(id);
    }
  }

  /** Starts (or restarts, from its data directory) node {@code id}. */
  public void start(int id) throws IOException, StorageException {
    if (running.containsKey(id)) {
      throw new IllegalStateException("node " + id + " runs already");
    }
    RaftConfig config = config(id);
    FileStorage storage = FileStorage.open(dir.resolve("node-" + id), id);
    TraceOutput trace = traceDir == null ? TraceOutput.none()
        : TraceOutput.open(traceDir, id, members, config.maxEntriesPerAppend(), journalMemory);
    TcpTransport transport = TcpTransport.bind(id, peerAddresses.get(id), peerAddresses, TcpTransport.Options.DEFAULTS);
    ServerSettings settings = new ServerSettings(config, tick, ServerSettings.DEFAULT_MAX_COMMAND_BYTES,
        ServerSettings.DEFAULT_MAILBOX_CAPACITY, seed * 31 + (++starts));
    RaftServer server = RaftServer.start(settings, storage, transport, new KvStateMachine(), trace);
    ClientService clients;
    try {
      clients = ClientService.bind(server, clientAddresses.get(id), settings.maxCommandBytes());
    } catch (IOException e) {
      server.close();
      throw e;
    }
    running.put(id, new Node(server, clients));
  }

  /** Crashes node {@code id}: storage and sockets closed under its driver; what was synced survives. */
  public void crash(int id) {
    Node node = running.remove(id);
    if (node == null) {
      throw new IllegalStateException("node " + id + " does not run");
    }
    node.clients().close();
    node.server().crash();
  }

  public RaftServer server(int id) {
    Node node = running.get(id);
    if (node == null) {
      throw new IllegalStateException("node " + id + " does not run");
    }
    return node.server();
  }

  public boolean isRunning(int id) {
    return running.containsKey(id);
  }

  /**
   * Waits until a running node leads and returns its id. Waits on the nodes' published statuses (a bounded
   * loop of short waits, one node at a time), never sleeps.
   */
  public int awaitLeader(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      for (Node node : running.values()) {
        if (node.server().status().isLeader()) {
          return node.server().id();
        }
      }
      for (Node node : running.values()) {
        try {
          node.server().awaitStatus(ServerStatus::isLeader, Duration.ofMillis(20));
          return node.server().id();
        } catch (TimeoutException e) {
          // try the next node
        }
      }
    }
    StringBuilder statuses = new StringBuilder();
    for (Node node : running.values()) {
      statuses.append("; ").append(node.server().status().describe());
    }
    throw new TimeoutException("no leader within " + timeout.toMillis() + " ms" + statuses);
  }

  @Override
  public void close() {
    for (Node node : running.values()) {
      node.clients().close();
      node.server().close();
    }
    running.clear();
  }
}
