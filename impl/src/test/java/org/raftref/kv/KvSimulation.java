package org.raftref.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.raftref.sim.Cluster;
import org.raftref.sim.SimParams;
import org.raftref.trace.TraceSink;

/**
 * Records a client history of the key-value store on the simulator: several {@link SimClient}s issue
 * operations concurrently, in virtual time, while a nemesis partitions the network, crashes and restarts
 * nodes, and makes the network lose, delay, duplicate and reorder messages. Then every fault is healed and
 * the clients finish what they started. One seed fixes the whole run.
 *
 * <p>Time in the history is a counter of recorded events, not virtual milliseconds: every invocation and
 * response gets the next number, in the order the simulation performed them. Two events at the same virtual
 * millisecond are still ordered as they happened, so the checker gets the real-time order exactly.
 */
final class KvSimulation {

  /**
   * What shapes a run.
   *
   * @param faultMillis virtual time with the nemesis active
   * @param healMillis virtual time after the faults are healed for clients to finish (they start new
   *     operations only during the first second of it)
   * @param clientTimeoutMillis how long a client waits for its entry before it asks again
   * @param maxThinkMillis a client waits up to this long (uniformly) between two operations
   * @param latencyMillis the simulated network's base message delay
   * @param freshSequenceOnRetry clients number each retry anew, defeating duplicate detection (to show the
   *     checker catches what follows); false in every real check
   */
  record Settings(int nodes, int clients, int keys, long faultMillis, long healMillis, long clientTimeoutMillis,
      int maxThinkMillis, int latencyMillis, boolean freshSequenceOnRetry) {

    /**
     * Five nodes, eight clients on three keys, 20 s of faults then 10 s healed. Messages take 5 ms (not the
     * simulator's default 1 ms) and clients think at most 20 ms, so an operation takes about as long as a
     * client thinks and several are in flight at once.
     */
    static final Settings DEFAULT = new Settings(5, 8, 3, 20_000, 10_000, 500, 20, 5, false);

    Settings withFreshSequenceOnRetry() {
      return new Settings(nodes, clients, keys, faultMillis, healMillis, clientTimeoutMillis, maxThinkMillis,
          latencyMillis, true);
    }

    SimParams params() {
      SimParams d = SimParams.DEFAULTS;
      return new SimParams(d.tickMillis(), d.heartbeatTicks(), d.electionTimeoutTicks(), d.maxEntriesPerAppend(),
          d.maxBytesPerAppend(), latencyMillis);
    }
  }

  /** Counts for the report and for the tests' non-vacuity checks. */
  static final class Stats {
    int operations;
    int completed;
    int retries;
    int timeouts;
    int replaced;
    int gaveUp;
    int crashes;
    int restarts;
    int partitions;
    int unreliableSpells;
    int duplicateEntries;

    int pending() {
      return operations - completed;
    }

    @Override
    public String toString() {
      return operations + " operations (" + completed + " completed, " + pending() + " pending, " + gaveUp
          + " given up), " + retries + " retries (" + timeouts + " timeouts, " + replaced + " entries replaced), "
          + duplicateEntries + " requests committed twice or more, faults: " + crashes + " crashes, " + restarts + " restarts, " + partitions + " partitions, "
          + unreliableSpells + " unreliable spells";
    }
  }

  /** The history's time: a counter of recorded events. */
  static final class Clock {
    private long now;

    long next() {
      return ++now;
    }
  }

  /** A finished run: the history to check, and what happened. */
  record Outcome(History history, Stats stats, String description) {}

  private final Settings settings;
  private final Cluster cluster;
  private final SplittableRandom random;
  private final Replicas replicas;
  private final History history = new History();
  private final Stats stats = new Stats();
  private final List<SimClient> clients = new ArrayList<>();

  KvSimulation(long seed, Settings settings) {
    this.settings = settings;
    this.cluster = new Cluster(seed, settings.nodes(), settings.params(), TraceSink.NONE);
    // The cluster draws from its own generator seeded with `seed`; ours is split from another generator with
    // the same seed, which yields a different stream. Both follow from the seed alone.
    this.random = new SplittableRandom(seed).split();
    this.replicas = new Replicas(cluster);
    Clock clock = new Clock();
    for (int c = 1; c <= settings.clients(); c++) {
      clients.add(new SimClient(c, random.split(), cluster, replicas, history, settings, clock, stats));
    }
  }

  Outcome run() {
    long faultEnd = settings.faultMillis();
    long stopIssuing = faultEnd + 1_000;
    long end = faultEnd + settings.healMillis();
    long nextFault = nextFaultTime(0);
    boolean healed = false;
    while (true) {
      long now = cluster.now();
      if (!healed && now >= faultEnd) {
        healEverything();
        healed = true;
      }
      if (!healed && now >= nextFault) {
        injectFault();
        nextFault = nextFaultTime(now);
      }
      boolean allFinished = true;
      for (SimClient client : clients) {
        if (client.due(now)) {
          client.act(now, stopIssuing);
        }
        allFinished &= client.finished();
      }
      if (allFinished || now >= end) {
        break;
      }
      long until = end;
      if (!healed) {
        until = Math.min(until, Math.min(nextFault, faultEnd));
      }
      for (SimClient client : clients) {
        if (!client.finished()) {
          until = Math.max(now, Math.min(until, client.wakeAt()));
        }
      }
      cluster.runUntil(this::someClientsEntryApplied, until - now);
    }
    for (int node = 1; node <= cluster.size(); node++) {
      replicas.feed(node);
    }
    stats.duplicateEntries = replicas.duplicateEntries();
    return new Outcome(history, stats, cluster.describe() + " clients=" + settings.clients() + " keys="
        + settings.keys() + " virtualMillis=" + cluster.now() + " indexes=" + replicas.indexesApplied());
  }

  private boolean someClientsEntryApplied() {
    for (SimClient client : clients) {
      if (client.entryApplied()) {
        return true;
      }
    }
    return false;
  }

  private long nextFaultTime(long now) {
    return now + 100 + random.nextInt(1_000);
  }

  /** One random fault; at most a minority of nodes is down at any time, so the cluster can make progress. */
  private void injectFault() {
    int n = cluster.size();
    int node = 1 + random.nextInt(n);
    int down = 0;
    for (int i = 1; i <= n; i++) {
      down += cluster.isUp(i) ? 0 : 1;
    }
    switch (random.nextInt(7)) {
      case 0, 1 -> {
        // A random split; often the leader ends up on the minority side with clients still talking to it.
        int[] groupOf = new int[n];
        for (int i = 0; i < n; i++) {
          groupOf[i] = random.nextInt(2);
        }
        cluster.partition(groupOf);
        stats.partitions++;
      }
      case 2 -> cluster.heal();
      case 3 -> {
        if (cluster.isUp(node) && down < (n - 1) / 2) {
          cluster.crash(node);
          stats.crashes++;
        }
      }
      case 4 -> {
        // Restart a node: a crashed one if there is one, else a running one (crash and restart at once).
        for (int i = 0; i < n && cluster.isUp(node) && down > 0; i++) {
          node = node % n + 1;
        }
        replicas.beforeRestart(node);
        cluster.restart(node);
        stats.restarts++;
      }
      case 5 -> {
        cluster.setReliable(false);
        cluster.setLongReordering(random.nextBoolean());
        stats.unreliableSpells++;
      }
      default -> {
        cluster.setReliable(true);
        cluster.setLongReordering(false);
      }
    }
  }

  private void healEverything() {
    cluster.heal();
    cluster.setReliable(true);
    cluster.setLongReordering(false);
    for (int node = 1; node <= cluster.size(); node++) {
      if (!cluster.isUp(node)) {
        replicas.beforeRestart(node);
        cluster.restart(node);
        stats.restarts++;
      }
    }
  }
}
