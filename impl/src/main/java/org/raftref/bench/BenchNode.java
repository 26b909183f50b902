package org.raftref.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.raftref.runtime.RaftServer;
import org.raftref.runtime.ServerSettings;
import org.raftref.runtime.ServerStatus;
import org.raftref.runtime.client.ClientService;
import org.raftref.runtime.trace.JournalMemory;
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.storage.FileStorage;
import org.raftref.transport.TcpTransport;

/**
 * One node of the benchmark's cluster, in its own JVM, started by {@link BenchCommand}: a {@link RaftServer}
 * with the default settings over {@link FileStorage} (fsync), {@link TcpTransport} on loopback and a
 * {@link ClientService}, applying commands to a {@link CounterStateMachine}. It talks to the orchestrator in
 * {@link NodeLine}s: READY once everything is open, then it waits for GO, starts the server, reports STARTED,
 * and LEADER each time it becomes a leader that has committed an entry of its term. It runs until killed, or
 * until its standard input ends (the orchestrator went away).
 *
 * <p>Arguments: {@code ID DATA_DIR PEERS CLIENT_PORT TRACE_DIR TRACE_MEMORY_BYTES}, where PEERS is
 * {@code id=port,...} (loopback peer ports of every node), TRACE_DIR is {@code -} for no trace, and
 * TRACE_MEMORY_BYTES is how much of the journal to keep in {@link JournalMemory#DEFAULT_DIR}. Internal to the
 * benchmark: errors end the JVM with a stack trace on standard error, which the orchestrator keeps in the
 * node's log.
 */
public final class BenchNode {

  private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
      true, StandardCharsets.UTF_8);

  private BenchNode() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      throw new IllegalArgumentException("usage: BenchNode ID DATA_DIR PEERS CLIENT_PORT TRACE_DIR "
          + "TRACE_MEMORY_BYTES, got " + List.of(args));
    }
    int id = Integer.parseInt(args[0]);
    Path data = Path.of(args[1]);
    Map<Integer, InetSocketAddress> peers = peers(args[2]);
    int clientPort = Integer.parseInt(args[3]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    InetSocketAddress self = peers.get(id);
    if (self == null) {
      throw new IllegalArgumentException("node " + id + " is not one of the peers " + peers);
    }
    ServerSettings settings = ServerSettings.defaults(
        ServerSettings.defaultRaftConfig(id, new ArrayList<>(peers.keySet())), System.nanoTime() ^ id);
    // Everything that does not start the protocol is opened before READY, so that GO measures the protocol.
    FileStorage storage = FileStorage.open(data, id);
    TcpTransport transport = TcpTransport.bind(id, self, peers, TcpTransport.Options.DEFAULTS);
    ServerSocket clientListener = new ServerSocket();
    clientListener.setReuseAddress(true);
    clientListener.bind(new InetSocketAddress(loopback, clientPort));
    TraceOutput trace = args[4].equals("-") ? TraceOutput.none()
        : TraceOutput.open(Path.of(args[4]), id, settings.raft().members(), settings.raft().maxEntriesPerAppend(),
            new JournalMemory(JournalMemory.DEFAULT_DIR, Long.parseLong(args[5])));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    emit(new NodeLine(NodeLine.READY, new long[] {System.nanoTime()}));
    awaitGo(in);
    long t0 = System.nanoTime();
    RaftServer server = RaftServer.start(settings, storage, transport, new CounterStateMachine(), trace);
    ClientService.start(server, clientListener, settings.maxCommandBytes());
    emit(new NodeLine(NodeLine.STARTED, new long[] {t0, System.nanoTime()}));
    Thread watcher = new Thread(() -> reportLeadership(server), "bench-leader-watch");
    watcher.setDaemon(true);
    watcher.start();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.strip().equals(NodeLine.STATS)) {
        TraceOutput.Recording recording = trace.recording();
        long[] gc = garbageCollections();
        emit(new NodeLine(NodeLine.USAGE, new NodeUsage(System.nanoTime(), recording.events(),
            recording.estimatedNanos(), recording.pageToucherCpuNanos(), processCpuNanos(), gc[0], gc[1],
            logThreadCpu("raftref-" + id + "-driver"), recording.journalBytes()).values()));
      }
      // the orchestrator normally kills this JVM before it closes our input
    }
    Runtime.getRuntime().halt(0); // no clean stop: the benchmark treats every node end as a crash
  }

  /**
   * Reports LEADER each time this node leads a term and has committed an entry of that term. Conservative: it
   * waits until the commit index reaches the last log index it saw on becoming leader, which is at least the
   * new leader's no-op entry (thesis §6.4), and may be a few client entries further. Only then can the leader
   * serve clients, the same definition as peerbench's "ready leader".
   */
  private static void reportLeadership(RaftServer server) {
    Duration wait = Duration.ofDays(1);
    long reportedTerm = 0;
    try {
      while (true) {
        long after = reportedTerm;
        ServerStatus leading = server.awaitStatus(s -> s.isLeader() && s.term() > after
            || s.state() != ServerStatus.State.RUNNING, wait);
        if (!leading.isLeader()) {
          return;
        }
        long ledAt = System.nanoTime();
        long term = leading.term();
        long target = leading.lastLogIndex();
        ServerStatus settled = server.awaitStatus(s -> !s.isLeader() || s.term() != term
            || s.commitIndex() >= target, wait);
        if (settled.isLeader() && settled.term() == term) {
          long now = System.nanoTime();
          // For the node's log, before the report (the orchestrator may kill this JVM right after it): how the
          // time to LEADER splits. "Led at" is when this thread saw the status, a little after the election.
          System.err.println("node " + server.id() + " led term " + term + " at " + ledAt + " ns with last log index "
              + target + "; committed it " + (now - ledAt) / 1000 + " us later");
          emit(new NodeLine(NodeLine.LEADER, new long[] {now, term}));
        }
        reportedTerm = term;
      }
    } catch (InterruptedException | TimeoutException e) {
      // a day without a change, or the JVM is ending: nothing left to report
    }
  }

  /** This JVM's CPU time so far, all threads; -1 where the JVM cannot tell. */
  private static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /** The time (ns) and number of this JVM's garbage collections so far, over all its collectors. */
  private static long[] garbageCollections() {
    long millis = 0;
    long count = 0;
    for (var collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, collector.getCollectionTime());
      count += Math.max(0, collector.getCollectionCount());
    }
    return new long[] {millis * 1_000_000, count};
  }

  /**
   * Writes each thread's CPU time so far to standard error (the node's log): where a node's CPU goes, to
   * compare a traced node with an untraced one. Returns the CPU time (ns) of the thread named {@code driver},
   * 0 if there is none.
   */
  private static long logThreadCpu(String driver) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    StringBuilder line = new StringBuilder("thread CPU ms at ").append(System.nanoTime()).append(':');
    long driverCpu = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        line.append(' ').append(info.getThreadName().replace(' ', '_')).append('=').append(cpu / 1_000_000);
        if (info.getThreadName().equals(driver)) {
          driverCpu = Math.max(0, cpu);
        }
      }
    }
    System.err.println(line);
    return driverCpu;
  }

  private static void awaitGo(BufferedReader in) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.strip().equals(NodeLine.GO)) {
        return;
      }
    }
    throw new IOException("standard input ended before GO");
  }

  private static synchronized void emit(NodeLine line) {
    OUT.println(line.text());
    OUT.flush();
  }

  private static Map<Integer, InetSocketAddress> peers(String spec) {
    Map<Integer, InetSocketAddress> peers = new TreeMap<>();
    for (String entry : spec.split(",")) {
      String[] idPort = entry.split("=");
      peers.put(Integer.parseInt(idPort[0]),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(idPort[1])));
    }
    return peers;
  }
}
