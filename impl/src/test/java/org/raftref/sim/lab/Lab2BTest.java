package org.raftref.sim.lab;

import static org.raftref.sim.lab.LabCluster.ELECTION_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 2B of the MIT 6.824 (2023) Raft lab, log replication, on the simulator in virtual time. Indexes are
 * command indexes (see {@link LabCluster}): the lab's numbers, counting client commands only, because this
 * project's leaders also append a no-op entry when elected. Reference: §5.3, §5.4 of the Raft paper.
 */
@ExtendWith(ReplayOnFailure.class)
class Lab2BTest {

  /** BasicAgree (3 servers): three commands, each applied by all at the next index, none before Start. */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void basicAgree(long seed) {
    LabCluster lab = new LabCluster(seed, 3, false);
    for (long index = 1; index <= 3; index++) {
      if (lab.nCommitted(index).count() > 0) {
        throw lab.failure("some have committed before Start()");
      }
      long got = lab.one(index * 100, 3, false);
      if (got != index) {
        throw lab.failure("got index " + got + " but expected " + index);
      }
    }
  }

  /**
   * RPCBytes (3 servers): ten 5000-byte commands cost at most servers × their size + 50000 bytes of
   * requests, i.e. each command goes to each follower about once.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void rpcBytes(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(99, servers, false);
    long bytes0 = lab.bytesTotal();
    long sent = 0;
    for (long index = 2; index < 12; index++) {
      byte[] command = Commands.text(lab.random(), 5000);
      long got = lab.one(command, servers, false);
      if (got != index) {
        throw lab.failure("got index " + got + " but expected " + index);
      }
      sent += command.length;
    }
    long got = lab.bytesTotal() - bytes0;
    long expected = servers * sent;
    if (got > expected + 50_000) {
      throw lab.failure("too many RPC bytes; got " + got + ", expected " + expected);
    }
  }

  /**
   * FollowerFailure (3 servers): with one follower cut off the other two still agree; with both followers
   * cut off, the leader accepts command 4 but nobody commits it.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void followerFailure(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(101, servers, false);

    int leader1 = lab.checkOneLeader();
    lab.disconnect(lab.after(leader1, 1));

    lab.one(102, servers - 1, false);
    lab.sleep(ELECTION_TIMEOUT);
    lab.one(103, servers - 1, false);

    int leader2 = lab.checkOneLeader();
    lab.disconnect(lab.after(leader2, 1));
    lab.disconnect(lab.after(leader2, 2));

    LabCluster.Start start = lab.start(leader2, Commands.number(104));
    if (!start.isLeader()) {
      throw lab.failure("leader rejected Start()");
    }
    if (start.index() != 4) {
      throw lab.failure("expected index 4, got " + start.index());
    }
    lab.sleep(2 * ELECTION_TIMEOUT);
    int n = lab.nCommitted(start.index()).count();
    if (n > 0) {
      throw lab.failure(n + " committed but no majority");
    }
  }

  /**
   * LeaderFailure (3 servers): the two others elect a new leader and agree when the leader is cut off;
   * once the second leader is cut off too, command 104 offered to every server commits nowhere.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void leaderFailure(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(101, servers, false);

    int leader1 = lab.checkOneLeader();
    lab.disconnect(leader1);

    lab.one(102, servers - 1, false);
    lab.sleep(ELECTION_TIMEOUT);
    lab.one(103, servers - 1, false);

    int leader2 = lab.checkOneLeader();
    lab.disconnect(leader2);

    for (int i = 1; i <= servers; i++) {
      lab.start(i, Commands.number(104));
    }
    lab.sleep(2 * ELECTION_TIMEOUT);
    int n = lab.nCommitted(4).count();
    if (n > 0) {
      throw lab.failure(n + " committed but no majority");
    }
  }

  /**
   * FailAgree (3 servers): leader and one follower agree on four commands while the other follower is cut
   * off; once it is back, all three keep the earlier agreements and agree on new commands.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void failAgree(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(101, servers, false);

    int leader = lab.checkOneLeader();
    lab.disconnect(lab.after(leader, 1));

    lab.one(102, servers - 1, false);
    lab.one(103, servers - 1, false);
    lab.sleep(ELECTION_TIMEOUT);
    lab.one(104, servers - 1, false);
    lab.one(105, servers - 1, false);

    lab.connect(lab.after(leader, 1));

    lab.one(106, servers, true);
    lab.sleep(ELECTION_TIMEOUT);
    lab.one(107, servers, true);
  }

  /**
   * FailNoAgree (5 servers): with three of four followers cut off, the leader takes command 20 at index 2
   * and nobody commits it; after they return, a leader takes a command at index 2 or 3 (the majority may
   * have elected one of its own and dropped index 2), and everyone agrees again.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void failNoAgree(long seed) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(10, servers, false);

    int leader = lab.checkOneLeader();
    lab.disconnect(lab.after(leader, 1));
    lab.disconnect(lab.after(leader, 2));
    lab.disconnect(lab.after(leader, 3));

    LabCluster.Start start = lab.start(leader, Commands.number(20));
    if (!start.isLeader()) {
      throw lab.failure("leader rejected Start()");
    }
    if (start.index() != 2) {
      throw lab.failure("expected index 2, got " + start.index());
    }
    lab.sleep(2 * ELECTION_TIMEOUT);
    int n = lab.nCommitted(start.index()).count();
    if (n > 0) {
      throw lab.failure(n + " committed but no majority");
    }

    lab.connect(lab.after(leader, 1));
    lab.connect(lab.after(leader, 2));
    lab.connect(lab.after(leader, 3));

    int leader2 = lab.checkOneLeader();
    LabCluster.Start start2 = lab.start(leader2, Commands.number(30));
    if (!start2.isLeader()) {
      throw lab.failure("leader2 rejected Start()");
    }
    if (start2.index() < 2 || start2.index() > 3) {
      throw lab.failure("unexpected index " + start2.index());
    }
    lab.one(1000, servers, true);
  }

  /**
   * ConcurrentStarts (3 servers): five Starts "at once" on the leader (here: one after another at one
   * virtual instant, in a seeded random order, as goroutines might run) all commit, unless the term changed,
   * in which case the lab retries up to five times, 3 s apart, and fails if the term never held still.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void concurrentStarts(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    boolean success = false;
    attempts:
    for (int attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) {
        lab.sleep(3_000);
      }
      int leader = lab.checkOneLeader();
      LabCluster.Start first = lab.start(leader, Commands.number(1));
      if (!first.isLeader()) {
        continue;
      }
      long term = first.term();

      List<Long> indexes = new ArrayList<>();
      for (int client : shuffled(lab, 5)) {
        LabCluster.Start start = lab.start(leader, Commands.number(100 + client));
        if (start.term() == term && start.isLeader()) {
          indexes.add(start.index());
        }
      }

      for (int j = 1; j <= servers; j++) {
        if (lab.term(j) != term) {
          continue attempts;
        }
      }

      List<Long> commands = new ArrayList<>();
      for (long index : indexes) {
        byte[] command = lab.wait(index, servers, term);
        if (command == null) {
          continue attempts;
        }
        commands.add(Commands.asNumber(command));
      }
      for (long x = 100; x < 105; x++) {
        if (!commands.contains(x)) {
          throw lab.failure("cmd " + x + " missing in " + commands);
        }
      }
      success = true;
      break;
    }
    if (!success) {
      throw lab.failure("term changed too often");
    }
  }

  /** 0..n-1 in a seeded random order. */
  private static int[] shuffled(LabCluster lab, int n) {
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    for (int k = n - 1; k > 0; k--) {
      int swap = lab.random().nextInt(k + 1);
      int t = order[k];
      order[k] = order[swap];
      order[swap] = t;
    }
    return order;
  }

  /**
   * Rejoin (3 servers): a cut-off leader takes three commands nobody else sees; the others elect a leader
   * and commit; that leader is cut off and the old one returns; the old one must give up its uncommitted
   * entries and the pair agree; then all three agree.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void rejoin(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(101, servers, true);

    int leader1 = lab.checkOneLeader();
    lab.disconnect(leader1);

    lab.start(leader1, Commands.number(102));
    lab.start(leader1, Commands.number(103));
    lab.start(leader1, Commands.number(104));

    lab.one(103, 2, true);

    int leader2 = lab.checkOneLeader();
    lab.disconnect(leader2);

    lab.connect(leader1);
    lab.one(104, 2, true);

    lab.connect(leader2);
    lab.one(105, servers, true);
  }

  /**
   * Backup (5 servers): a leader and one follower, cut off from the rest, take 50 commands that cannot
   * commit; the other three commit 50 of their own; their leader and one follower are cut off and take 50
   * more that cannot commit; the first pair returns with one of the three, and that majority must overwrite
   * the divergent logs and commit 50 commands (each within one()'s 10 s, so the leader must back up over
   * a conflicting term at a time, not one entry per round trip); then all five agree.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void backup(long seed) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(lab.randomCommand(), servers, true);

    int leader1 = lab.checkOneLeader();
    lab.disconnect(lab.after(leader1, 2));
    lab.disconnect(lab.after(leader1, 3));
    lab.disconnect(lab.after(leader1, 4));

    for (int k = 0; k < 50; k++) {
      lab.start(leader1, lab.randomCommand());
    }
    lab.sleep(ELECTION_TIMEOUT / 2);

    lab.disconnect(lab.after(leader1, 0));
    lab.disconnect(lab.after(leader1, 1));

    lab.connect(lab.after(leader1, 2));
    lab.connect(lab.after(leader1, 3));
    lab.connect(lab.after(leader1, 4));

    for (int k = 0; k < 50; k++) {
      lab.one(lab.randomCommand(), 3, true);
    }

    int leader2 = lab.checkOneLeader();
    int other = lab.after(leader1, 2);
    if (leader2 == other) {
      other = lab.after(leader2, 1);
    }
    lab.disconnect(other);

    for (int k = 0; k < 50; k++) {
      lab.start(leader2, lab.randomCommand());
    }
    lab.sleep(ELECTION_TIMEOUT / 2);

    for (int i = 1; i <= servers; i++) {
      lab.disconnect(i);
    }
    lab.connect(lab.after(leader1, 0));
    lab.connect(lab.after(leader1, 1));
    lab.connect(other);

    for (int k = 0; k < 50; k++) {
      lab.one(lab.randomCommand(), 3, true);
    }

    for (int i = 1; i <= servers; i++) {
      lab.connect(i);
    }
    lab.one(lab.randomCommand(), servers, true);
  }

  /**
   * Count (3 servers): electing the first leader takes 1..30 requests; twelve Starts, ten of them awaited,
   * take at most (10 + 1 + 3) × 3 = 42 requests (retried up to five times, 3 s apart, if the term changes);
   * one election timeout of idleness takes at most 3 × 20 = 60.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void count(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);

    int leader = lab.checkOneLeader();
    long total1 = rpcs(lab);
    if (total1 > 30 || total1 < 1) {
      throw lab.failure("too many or few RPCs (" + total1 + ") to elect initial leader");
    }

    long total2 = 0;
    boolean success = false;
    int iters = 10;
    attempts:
    for (int attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) {
        lab.sleep(3_000);
      }
      leader = lab.checkOneLeader();
      total1 = rpcs(lab);

      LabCluster.Start first = lab.start(leader, Commands.number(1));
      if (!first.isLeader()) {
        continue;
      }
      long starti = first.index();
      long term = first.term();
      List<Long> commands = new ArrayList<>();
      for (int k = 1; k < iters + 2; k++) {
        long x = lab.random().nextInt(Integer.MAX_VALUE);
        commands.add(x);
        LabCluster.Start start = lab.start(leader, Commands.number(x));
        if (start.term() != term || !start.isLeader()) {
          continue attempts;
        }
        if (starti + k != start.index()) {
          throw lab.failure("Start() failed: index " + start.index() + ", expected " + (starti + k));
        }
      }

      for (int k = 1; k < iters + 1; k++) {
        byte[] command = lab.wait(starti + k, servers, term);
        if (command == null) {
          continue attempts;
        }
        if (Commands.asNumber(command) != commands.get(k - 1)) {
          throw lab.failure("wrong value " + Commands.show(command) + " committed for index " + (starti + k)
              + "; expected " + commands);
        }
      }

      boolean termChanged = false;
      total2 = 0;
      for (int j = 1; j <= servers; j++) {
        if (lab.term(j) != term) {
          termChanged = true;
        }
        total2 += lab.rpcCount(j);
      }
      if (termChanged) {
        continue;
      }
      if (total2 - total1 > (iters + 1 + 3) * 3) {
        throw lab.failure("too many RPCs (" + (total2 - total1) + ") for " + iters + " entries");
      }
      success = true;
      break;
    }
    if (!success) {
      throw lab.failure("term changed too often");
    }

    lab.sleep(ELECTION_TIMEOUT);
    long total3 = rpcs(lab);
    if (total3 - total2 > 3 * 20) {
      throw lab.failure("too many RPCs (" + (total3 - total2) + ") for 1 second of idleness");
    }
  }

  private static long rpcs(LabCluster lab) {
    long n = 0;
    for (int j = 1; j <= lab.servers(); j++) {
      n += lab.rpcCount(j);
    }
    return n;
  }
}
