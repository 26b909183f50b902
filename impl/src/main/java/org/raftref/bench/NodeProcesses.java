package org.raftref.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The node JVMs of one repetition, and the {@link NodeLine}s they reported. A reader thread per node turns
 * its standard output into {@link Event}s; {@link #await} waits for an event, and fails as soon as a node
 * that was not killed on purpose has exited. Standard error goes to the node's log file.
 *
 * <p>Shared state: {@link #events} (guarded by its own monitor, which waiters wait on) and {@link #killed}
 * (a concurrent set).
 */
final class NodeProcesses implements AutoCloseable {

  /** A line from node {@code node}, or its exit (type EXIT, no values), as received at {@code receivedNanos}. */
  record Event(int node, String type, long[] values, long receivedNanos) {}

  private static final String EXIT = "EXIT";

  private final Map<Integer, Process> processes = new TreeMap<>();
  private final Map<Integer, Path> logs = new TreeMap<>();
  private final List<Event> events = new ArrayList<>();
  private final Set<Integer> killed = ConcurrentHashMap.newKeySet();

  /** Starts one JVM per entry of {@code commands} (node id to command line), its stderr to {@code logs}. */
  static NodeProcesses start(Map<Integer, List<String>> commands, Map<Integer, Path> logs) throws IOException {
    NodeProcesses nodes = new NodeProcesses();
    try {
      for (Map.Entry<Integer, List<String>> command : commands.entrySet()) {
        int id = command.getKey();
        Path log = logs.get(id);
        if (log == null) {
          throw new IllegalArgumentException("no log file for node " + id);
        }
        Path logDir = log.toAbsolutePath().getParent();
        if (logDir != null) {
          Files.createDirectories(logDir);
        }
        Process process = new ProcessBuilder(command.getValue())
            .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
        nodes.processes.put(id, process);
        nodes.logs.put(id, log);
        Thread reader = new Thread(() -> nodes.pump(id, process), "bench-node-" + id + "-output");
        reader.setDaemon(true);
        reader.start();
      }
    } catch (IOException | RuntimeException e) {
      nodes.close();
      throw e;
    }
    return nodes;
  }

  private void pump(int node, Process process) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String text;
      while ((text = in.readLine()) != null) {
        long now = System.nanoTime();
        NodeLine line = NodeLine.parse(text);
        if (line != null) {
          add(new Event(node, line.type(), line.values(), now));
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
    add(new Event(node, EXIT, new long[0], System.nanoTime()));
  }

  private void add(Event event) {
    synchronized (events) {
      events.add(event);
      events.notifyAll();
    }
  }

  /** Sends GO to every node, one after the other. */
  void go() throws BenchFailure {
    sendToAll(NodeLine.GO);
  }

  /**
   * Asks every node that was not killed for its USAGE line ({@link NodeLine}), and waits for them.
   *
   * @return the answers by node id
   */
  Map<Integer, Event> usage(long timeoutMillis) throws BenchFailure, InterruptedException {
    long asked = System.nanoTime();
    sendToAll(NodeLine.STATS);
    Map<Integer, Event> answers = new TreeMap<>();
    for (int id : processes.keySet()) {
      if (!killed.contains(id)) {
        answers.put(id, await("a USAGE line from node " + id, e -> e.node() == id
            && e.type().equals(NodeLine.USAGE) && e.values()[0] - asked >= 0, timeoutMillis));
      }
    }
    return answers;
  }

  private void sendToAll(String line) throws BenchFailure {
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.US_ASCII);
    for (Map.Entry<Integer, Process> node : processes.entrySet()) {
      if (killed.contains(node.getKey())) {
        continue;
      }
      try {
        OutputStream in = node.getValue().getOutputStream();
        in.write(bytes);
        in.flush();
      } catch (IOException e) {
        throw new BenchFailure("cannot send " + line + " to node " + node.getKey() + ": " + e.getMessage()
            + " (see " + logs.get(node.getKey()) + ")");
      }
    }
  }

  /**
   * The first event that matches {@code what}, waiting up to {@code timeoutMillis} for it.
   *
   * @throws BenchFailure on timeout, or if a node that was not killed has exited
   */
  Event await(String description, Predicate<Event> what, long timeoutMillis)
      throws BenchFailure, InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    synchronized (events) {
      while (true) {
        for (Event event : events) {
          if (what.test(event)) {
            return event;
          }
        }
        for (Event event : events) {
          if (event.type().equals(EXIT) && !killed.contains(event.node())) {
            throw new BenchFailure("node " + event.node() + " exited while waiting for " + description + " (see "
                + logs.get(event.node()) + ")");
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new BenchFailure("no " + description + " within " + timeoutMillis + " ms");
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  /** The LEADER event with the highest term so far, or null. */
  @Nullable Event latestLeader() {
    synchronized (events) {
      Event latest = null;
      for (Event event : events) {
        if (event.type().equals(NodeLine.LEADER) && (latest == null || event.values()[1] >= latest.values()[1])) {
          latest = event;
        }
      }
      return latest;
    }
  }

  /** Kills node {@code id} with SIGKILL ({@link Process#destroyForcibly()}): a crash, no clean stop. */
  void kill(int id) {
    killed.add(id);
    Process process = processes.get(id);
    if (process != null) {
      process.destroyForcibly();
    }
  }

  /** Kills every node and waits (a little) for them to be gone. */
  @Override
  public void close() {
    for (int id : processes.keySet()) {
      kill(id);
    }
    for (Process process : processes.values()) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
