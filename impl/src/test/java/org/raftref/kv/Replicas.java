package org.raftref.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.raftref.message.LogEntry;
import org.raftref.sim.Cluster;

/**
 * One {@link KvStateMachine} per simulated node, fed with the entries that node applied, so that a client
 * gets the result its node computed. The simulator's nodes apply entries but run no state machine; this
 * plays the runtime's part.
 *
 * <p>It also checks, for every index any two nodes applied, that they computed the same result bytes: the
 * state machine safety property seen from the application, which a non-deterministic state machine or two
 * different entries at one committed index would break.
 */
final class Replicas {

  private final Cluster cluster;
  private final KvStateMachine[] machines;
  private final List<List<byte[]>> results = new ArrayList<>();
  /** The result of each index as the first node to apply it computed it; index 1 first. */
  private final List<byte[]> firstResults = new ArrayList<>();
  /** Requests (client id, sequence) seen in committed entries, to count the ones committed more than once. */
  private final Set<List<Long>> requestsCommitted = new HashSet<>();
  private int duplicateEntries;

  Replicas(Cluster cluster) {
    this.cluster = cluster;
    this.machines = new KvStateMachine[cluster.size() + 1];
    results.add(List.of());
    for (int node = 1; node <= cluster.size(); node++) {
      machines[node] = new KvStateMachine();
      results.add(new ArrayList<>());
    }
  }

  /** The result node {@code node} computed for the entry at {@code index}, which it has applied. */
  byte[] resultAt(int node, long index) {
    feed(node);
    return results.get(node).get((int) (index - 1));
  }

  /** Applies to node {@code node}'s state machine every entry the node applied since the last call. */
  void feed(int node) {
    List<LogEntry> applied = cluster.applied(node);
    List<byte[]> mine = results.get(node);
    for (int k = mine.size(); k < applied.size(); k++) {
      byte[] result = machines[node].apply(k + 1, applied.get(k).command());
      mine.add(result);
      if (k < firstResults.size()) {
        if (!Arrays.equals(firstResults.get(k), result)) {
          throw new AssertionError("node " + node + " computed another result for index " + (k + 1)
              + " than the node that applied it first");
        }
      } else {
        firstResults.add(result);
        countDuplicate(applied.get(k).command());
      }
    }
  }

  /**
   * Call just before {@code cluster.restart(node)}: checks what the node applied in its last life, then
   * starts its state machine afresh, as a restarted server without snapshots replays its log from index 1.
   */
  void beforeRestart(int node) {
    feed(node);
    machines[node] = new KvStateMachine();
    results.set(node, new ArrayList<>());
  }

  private void countDuplicate(byte[] command) {
    if (command.length == 0) {
      return; // a leader's no-op
    }
    try {
      KvRequest request = KvRequest.decode(command);
      if (!requestsCommitted.add(List.of(request.clientId(), request.sequence()))) {
        duplicateEntries++;
      }
    } catch (MalformedCommandException e) {
      throw new AssertionError("a committed entry is not a request: " + e.getMessage());
    }
  }

  /**
   * Committed entries that repeat a request committed at an earlier index: retries of a request that had
   * already made it, which the state machine's duplicate table must absorb.
   */
  int duplicateEntries() {
    return duplicateEntries;
  }

  /** Indexes whose results were compared or recorded: the longest any node applied. */
  int indexesApplied() {
    return firstResults.size();
  }
}
