package org.raftref.kv;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.ProposeResult;
import org.raftref.message.LogEntry;
import org.raftref.sim.Cluster;

/**
 * One logical client of the key-value store in the simulator, written as a state machine that
 * {@link KvSimulation} calls in virtual time. It has one operation outstanding at a time, like a 6.824 clerk:
 *
 * <ul>
 *   <li>It proposes the operation's request to the node it believes leads. {@code NotLeader} sends it to the
 *       hinted leader (or the next node if there is no hint); a crashed node to the next node.
 *   <li>After {@code Accepted(index)} it waits for that node to apply {@code index}. If the entry there is its
 *       request, the operation is done, with the result that node's state machine computed. If another entry
 *       took the index (the node lost leadership), or the wait times out, it sends the request again.
 *   <li>Retries carry the same client id and sequence number, so the state machine applies the operation at
 *       most once. (With {@code freshSequenceOnRetry}, each retry gets a new number instead: the naive
 *       client that duplicate detection exists for, used to show that the checker catches the result.)
 *   <li>After several failed attempts it may give up: the operation stays pending in the history, because it
 *       may still take effect later, and the client moves on with the next sequence number.
 * </ul>
 */
final class SimClient {

  /** Attempts after which the client may give up on an operation. */
  private static final int PATIENCE = 6;

  private final int id;
  private final long clientId;
  private final SplittableRandom random;
  private final Cluster cluster;
  private final Replicas replicas;
  private final History history;
  private final KvSimulation.Settings settings;
  private final KvSimulation.Clock clock;
  private final KvSimulation.Stats stats;

  private long sequence;
  private int leaderGuess;
  /** When the client next acts on its own (a think time, a backoff, or a wait's deadline). */
  private long wakeAt;
  private boolean finished;

  // The operation in progress, if any.
  private @Nullable KvCommand command;
  private int historyId = -1;
  private byte[] request = new byte[0];
  private int attempts;
  /** While waiting for an applied entry: the node that accepted the request, and the index; else 0. */
  private int waitNode;
  private long waitIndex;

  SimClient(int id, SplittableRandom random, Cluster cluster, Replicas replicas, History history,
      KvSimulation.Settings settings, KvSimulation.Clock clock, KvSimulation.Stats stats) {
    this.id = id;
    this.clientId = random.nextLong();
    this.random = random;
    this.cluster = cluster;
    this.replicas = replicas;
    this.history = history;
    this.settings = settings;
    this.clock = clock;
    this.stats = stats;
    this.leaderGuess = 1 + random.nextInt(cluster.size());
    this.wakeAt = random.nextInt(50);
  }

  boolean finished() {
    return finished;
  }

  long wakeAt() {
    return wakeAt;
  }

  /** Whether the entry this client waits for has been applied by its node (checked after every event). */
  boolean entryApplied() {
    return waitNode != 0 && cluster.applied(waitNode).size() >= waitIndex;
  }

  /** Whether the client has something to do now. */
  boolean due(long now) {
    return !finished && (entryApplied() || now >= wakeAt);
  }

  /** Does what the client does at this instant; {@code stopIssuingAt}: start no operation from then on. */
  void act(long now, long stopIssuingAt) {
    if (command == null) {
      if (now >= stopIssuingAt) {
        finished = true;
        return;
      }
      startOperation(now);
      propose(now);
    } else if (waitNode != 0) {
      checkWait(now);
    } else {
      propose(now);
    }
  }

  private void startOperation(long now) {
    sequence++;
    String key = "k" + random.nextInt(settings.keys());
    String token = "c" + id + "." + sequence;
    int dice = random.nextInt(100);
    KvCommand next;
    if (dice < 40) {
      next = new KvCommand.Get(key);
    } else if (dice < 60) {
      next = new KvCommand.Put(key, token);
    } else if (dice < 95) {
      next = new KvCommand.Append(key, token + ";");
    } else {
      next = new KvCommand.Delete(key);
    }
    command = next;
    request = new KvRequest(clientId, sequence, next).encode();
    attempts = 0;
    historyId = history.invoke(id, next, clock.next(), "seq " + sequence + ", invoked at " + now + " ms");
    stats.operations++;
  }

  private void propose(long now) {
    attempts++;
    int target = leaderGuess;
    ProposeResult result = cluster.propose(target, request);
    if (result == null) {
      leaderGuess = nextNode(target);
      wakeAt = now + 10;
    } else if (result instanceof ProposeResult.NotLeader notLeader) {
      boolean hinted = notLeader.leaderHint() != 0 && notLeader.leaderHint() != target;
      leaderGuess = hinted ? notLeader.leaderHint() : nextNode(target);
      wakeAt = now + (hinted ? 1 : 20);
    } else if (result instanceof ProposeResult.Accepted accepted) {
      waitNode = target;
      waitIndex = accepted.index();
      wakeAt = now + settings.clientTimeoutMillis();
    }
  }

  private void checkWait(long now) {
    List<LogEntry> applied = cluster.applied(waitNode);
    if (applied.size() >= waitIndex) {
      LogEntry entry = applied.get((int) (waitIndex - 1));
      if (Arrays.equals(entry.command(), request)) {
        complete(now, replicas.resultAt(waitNode, waitIndex));
        return;
      }
      stats.replaced++; // another leader's entry took the index: ask again
    } else if (now < wakeAt) {
      return;
    } else {
      stats.timeouts++;
      leaderGuess = nextNode(waitNode); // the node may be cut off: try another
    }
    waitNode = 0;
    retry(now);
  }

  private void retry(long now) {
    stats.retries++;
    if (attempts >= PATIENCE && random.nextInt(4) == 0) {
      stats.gaveUp++;
      command = null; // the operation stays pending in the history
      wakeAt = now + think();
      return;
    }
    if (settings.freshSequenceOnRetry()) {
      sequence++;
      request = new KvRequest(clientId, sequence, java.util.Objects.requireNonNull(command)).encode();
    }
    propose(now);
  }

  private void complete(long now, byte[] resultBytes) {
    KvResult result;
    try {
      result = KvResult.decode(resultBytes);
    } catch (MalformedCommandException e) {
      throw new AssertionError("client " + id + ": the state machine answered a malformed result: " + e.getMessage());
    }
    if (result instanceof KvResult.Rejected rejected) {
      throw new AssertionError("client " + id + " seq " + sequence + " was rejected: " + rejected.reason());
    }
    history.respond(historyId, result, clock.next());
    stats.completed++;
    waitNode = 0;
    command = null;
    wakeAt = now + think();
  }

  private long think() {
    return random.nextInt(settings.maxThinkMillis() + 1);
  }

  private int nextNode(int node) {
    return node % cluster.size() + 1;
  }
}
