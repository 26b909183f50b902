package org.raftref.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.net.InetSocketAddress;

/**
 * The files of a local cluster that {@code raftref cluster start} runs in a directory:
 *
 * <pre>
 * DIR/cluster.properties   peers, clients, the servers' options (written once, read by later commands)
 * DIR/node-ID/             node ID's data directory
 * DIR/node-ID.pid          the server process's id while it runs
 * DIR/node-ID.log          its standard output and error
 * DIR/traces/              traces, if started with --trace
 * </pre>
 */
record ClusterLayout(Path dir, PeerList peers, PeerList clients, List<String> serverOptions) {

  static final String FILE = "cluster.properties";

  ClusterLayout {
    serverOptions = List.copyOf(serverOptions);
  }

  /** A new cluster of {@code nodes} nodes on loopback: peer ports from {@code basePort}, clients 1000 above. */
  static ClusterLayout create(Path dir, int nodes, int basePort, List<String> serverOptions) throws CliException {
    if (nodes < 1 || nodes > 9) {
      throw new CliException(RaftrefMain.EXIT_USAGE, "--nodes must be in 1..9, was " + nodes);
    }
    int lastClientPort = basePort + nodes - 1 + ServerCommand.CLIENT_PORT_OFFSET;
    if (basePort < 1 || lastClientPort > 65535) {
      throw new CliException(RaftrefMain.EXIT_USAGE, "--base-port " + basePort + " leaves no room for " + nodes
          + " peer ports and their client ports (+" + ServerCommand.CLIENT_PORT_OFFSET + ") below 65536");
    }
    SortedMap<Integer, InetSocketAddress> peers = new TreeMap<>();
    SortedMap<Integer, InetSocketAddress> clients = new TreeMap<>();
    for (int id = 1; id <= nodes; id++) {
      peers.put(id, new InetSocketAddress("127.0.0.1", basePort + id - 1));
      clients.put(id, new InetSocketAddress("127.0.0.1", basePort + id - 1 + ServerCommand.CLIENT_PORT_OFFSET));
    }
    return new ClusterLayout(dir, new PeerList(peers), new PeerList(clients), serverOptions);
  }

  /** The cluster described in {@code dir}, or null if it holds none. */
  static @org.checkerframework.checker.nullness.qual.Nullable ClusterLayout read(Path dir) throws CliException {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "cannot read " + file + ": " + e.getMessage());
    }
    String peers = p.getProperty("peers");
    String clients = p.getProperty("clients");
    String options = p.getProperty("server-options", "");
    if (peers == null || clients == null) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, file + " lacks \"peers\" or \"clients\"");
    }
    try {
      List<String> serverOptions = options.isBlank() ? List.of() : List.of(options.strip().split(" +"));
      return new ClusterLayout(dir, PeerList.parse(peers), PeerList.parse(clients), serverOptions);
    } catch (IllegalArgumentException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, file + " is damaged: " + e.getMessage());
    }
  }

  void write() throws CliException {
    Path file = dir.resolve(FILE);
    Properties p = new Properties();
    p.setProperty("peers", peers.toString());
    p.setProperty("clients", clients.toString());
    p.setProperty("server-options", String.join(" ", serverOptions));
    try {
      Files.createDirectories(dir);
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        p.store(out, "raftref cluster: written by 'raftref cluster start', read by 'raftref cluster start/stop'");
      }
    } catch (IOException e) {
      throw new CliException(RaftrefMain.EXIT_FAILURE, "cannot write " + file + ": " + e.getMessage());
    }
  }

  Path dataDir(int id) {
    return dir.resolve("node-" + id);
  }

  Path pidFile(int id) {
    return dir.resolve("node-" + id + ".pid");
  }

  Path logFile(int id) {
    return dir.resolve("node-" + id + ".log");
  }

  Path traceDir() {
    return dir.resolve("traces");
  }

  /** Ids of the nodes that have a pid file. */
  List<Integer> nodesWithPidFiles() {
    List<Integer> ids = new ArrayList<>();
    for (int id : peers.ids()) {
      if (Files.exists(pidFile(id))) {
        ids.add(id);
      }
    }
    return ids;
  }
}
