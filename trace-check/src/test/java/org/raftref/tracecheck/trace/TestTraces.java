package org.raftref.tracecheck.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.raftref.trace.HandDrivenCluster;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;

/** Real traces for tests, written by {@link NdjsonSink} from a {@link HandDrivenCluster} the test scripts. */
public final class TestTraces {

  private TestTraces() {}

  /**
   * Election of node 1, two commands committed, a heartbeat round in which the network duplicates one
   * message and drops another, node 2 restarting and catching up.
   */
  public static final Consumer<HandDrivenCluster> ELECTION_COMMIT_FAULTS = cluster -> {
    cluster.tickUntilCandidate(1);
    cluster.deliverAll(100);
    cluster.propose(1, "x=1");
    cluster.propose(1, "y=2");
    cluster.deliverAll(100);
    cluster.tick(1);
    cluster.duplicateNext();
    cluster.dropNext();
    cluster.deliverAll(100);
    cluster.restart(2);
    cluster.tick(1);
    cluster.deliverAll(100);
  };

  /**
   * Thesis §10.2.1: node 1 leads term 1, commits one command, then proposes "z=3" and crashes during its own
   * write; its AppendEntries carrying z=3 had already left. The followers store z=3 (never durable on node 1,
   * whose restarted log lacks it); node 2 wins term 2 with it and commits it, and node 1 gets it back.
   */
  public static final Consumer<HandDrivenCluster> LEADER_CRASH_DURING_WRITE = cluster -> {
    cluster.tickUntilCandidate(1);
    cluster.deliverAll(100);
    cluster.propose(1, "x=1");
    cluster.deliverAll(100);
    cluster.proposeAndCrashDuringWrite(1, "z=3");
    cluster.deliverAll(100);
    cluster.tickUntilCandidate(2);
    cluster.deliverAll(100);
    cluster.tick(2);
    cluster.deliverAll(100);
  };

  /** Writes the trace of {@code script} on a 3-node cluster (batches of at most 2) to {@code dir/name}. */
  public static Path write(Path dir, String name, Consumer<HandDrivenCluster> script) {
    Path file = dir.resolve(name);
    try (NdjsonSink sink = NdjsonSink.toFile(file, new TraceHeader(List.of(1, 2, 3), 2, "test " + name))) {
      script.accept(new HandDrivenCluster(3, 2, 11, sink));
    }
    return file;
  }

  /**
   * Splits a single-file trace into one file per node, {@code dir/node<id>.ndjson} (network events go to the
   * receiver's file), each with the original header and its events renumbered; returns them in {@code order}.
   */
  public static List<Path> splitByNode(Path whole, Path dir, List<Integer> order) throws TraceInputException {
    Trace trace = TraceReader.read(whole);
    List<String> lines = lines(whole);
    Map<Integer, List<String>> perNode = new TreeMap<>();
    for (TraceEvent e : trace.events()) {
      List<String> own = perNode.computeIfAbsent(e.owner(), n -> new ArrayList<>(List.of(lines.get(0))));
      own.add(lines.get(e.line() - 1).replaceFirst("^\\{\"seq\":\\d+,", "{\"seq\":" + own.size() + ","));
    }
    List<Path> files = new ArrayList<>();
    for (int node : order) {
      files.add(writeLines(dir.resolve("node" + node + ".ndjson"), perNode.get(node)));
    }
    return files;
  }

  public static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public static Path writeLines(Path file, List<String> lines) {
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return file;
  }
}
