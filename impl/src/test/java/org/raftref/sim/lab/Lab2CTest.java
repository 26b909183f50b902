package org.raftref.sim.lab;

import static org.raftref.sim.lab.LabCluster.ELECTION_TIMEOUT;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 2C of the MIT 6.824 (2023) Raft lab, persistence, on the simulator in virtual time. A crash
 * ({@code crash1}) stops a node and keeps only what it made durable; a start ({@code start1}) builds a new
 * node from that. Indexes are command indexes (see {@link LabCluster}). Reference: §5.4 and Figure 8 of the
 * Raft paper; thesis §3.8 on durability.
 */
@ExtendWith(ReplayOnFailure.class)
class Lab2CTest {

  /**
   * Persist1 (3 servers): everyone restarts at once; then the leader restarts; then a cut-off leader
   * restarts after the others moved on; then a follower does; each time the cluster agrees again.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void persist1(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(11, servers, true);

    for (int i = 1; i <= servers; i++) {
      lab.start1(i);
    }
    for (int i = 1; i <= servers; i++) {
      lab.disconnect(i);
      lab.connect(i);
    }
    lab.one(12, servers, true);

    int leader1 = lab.checkOneLeader();
    lab.disconnect(leader1);
    lab.start1(leader1);
    lab.connect(leader1);
    lab.one(13, servers, true);

    int leader2 = lab.checkOneLeader();
    lab.disconnect(leader2);
    lab.one(14, servers - 1, true);
    lab.start1(leader2);
    lab.connect(leader2);

    // Wait for leader2 to catch up before another server goes down.
    lab.wait(4, servers, -1);

    int i3 = lab.after(lab.checkOneLeader(), 1);
    lab.disconnect(i3);
    lab.one(15, servers - 1, true);
    lab.start1(i3);
    lab.connect(i3);

    lab.one(16, servers, true);
  }

  /**
   * Persist2 (5 servers): five rounds of: agree; cut off two followers, the other three agree; cut off
   * those three, restart the two and one of the three (which alone knows the last command), and that
   * majority must elect the one with the complete log and agree; reconnect everyone.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void persist2(long seed) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, false);
    long index = 1;
    for (int round = 0; round < 5; round++) {
      lab.one(10 + index, servers, true);
      index++;

      int leader1 = lab.checkOneLeader();

      lab.disconnect(lab.after(leader1, 1));
      lab.disconnect(lab.after(leader1, 2));

      lab.one(10 + index, servers - 2, true);
      index++;

      lab.disconnect(lab.after(leader1, 0));
      lab.disconnect(lab.after(leader1, 3));
      lab.disconnect(lab.after(leader1, 4));

      lab.start1(lab.after(leader1, 1));
      lab.start1(lab.after(leader1, 2));
      lab.connect(lab.after(leader1, 1));
      lab.connect(lab.after(leader1, 2));

      lab.sleep(ELECTION_TIMEOUT);

      lab.start1(lab.after(leader1, 3));
      lab.connect(lab.after(leader1, 3));

      lab.one(10 + index, servers - 2, true);
      index++;

      lab.connect(lab.after(leader1, 4));
      lab.connect(lab.after(leader1, 0));
    }
    lab.one(1000, servers, true);
  }

  /**
   * Persist3 (3 servers): with one follower cut off, the other two agree; both crash; the cut-off one
   * returns with the old leader restarted, and they must agree (the restarted leader's durable log has
   * the entry the stale follower lacks); then the third restarts and all agree.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void persist3(long seed) {
    int servers = 3;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(101, 3, true);

    int leader = lab.checkOneLeader();
    lab.disconnect(lab.after(leader, 2));

    lab.one(102, 2, true);

    lab.crash1(lab.after(leader, 0));
    lab.crash1(lab.after(leader, 1));
    lab.connect(lab.after(leader, 2));
    lab.start1(lab.after(leader, 0));
    lab.connect(lab.after(leader, 0));

    lab.one(103, 2, true);

    lab.start1(lab.after(leader, 1));
    lab.connect(lab.after(leader, 1));

    lab.one(104, servers, true);
  }

  /**
   * Figure8 (5 servers, reliable network): 1000 rounds of: every running server is offered a command;
   * after a short pause (usually 0–12 ms, one time in ten up to 500 ms) the last server that accepted as
   * leader crashes; when fewer than three run, a random crashed server restarts. Leaders thus die with
   * entries of their term on a minority, as in Figure 8 of the paper, and a later leader must never commit
   * such an entry by counting replicas alone. At the end all restart and must agree within 10 s.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void figure8(long seed) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, false);
    lab.one(lab.randomCommand(), 1, true);

    int up = servers;
    for (int round = 0; round < 1000; round++) {
      int leader = -1;
      for (int i = 1; i <= servers; i++) {
        if (lab.isUp(i) && lab.start(i, lab.randomCommand()).isLeader()) {
          leader = i;
        }
      }
      sleepBriefly(lab);
      if (leader != -1) {
        lab.crash1(leader);
        up--;
      }
      if (up < 3) {
        int s = lab.randomServer();
        if (!lab.isUp(s)) {
          lab.start1(s);
          lab.connect(s);
          up++;
        }
      }
    }
    for (int i = 1; i <= servers; i++) {
      if (!lab.isUp(i)) {
        lab.start1(i);
        lab.connect(i);
      }
    }
    lab.one(lab.randomCommand(), servers, true);
  }

  /** The Figure 8 tests' pause: one time in ten 0..499 ms, otherwise 0..12 ms. */
  private static void sleepBriefly(LabCluster lab) {
    if (lab.random().nextInt(1000) < 100) {
      lab.sleep(lab.random().nextLong(ELECTION_TIMEOUT / 2));
    } else {
      lab.sleep(lab.random().nextLong(13));
    }
  }

  /**
   * UnreliableAgree (5 servers, unreliable network): 49 rounds of four background one()s and one in the
   * foreground, each needing only one server to apply; then the network turns reliable, the background
   * calls finish, and all five must agree on one more command.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void unreliableAgree(long seed) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, true);
    List<OneCall> background = new ArrayList<>();
    for (int round = 1; round < 50; round++) {
      for (int j = 0; j < 4; j++) {
        OneCall call = new OneCall(lab, Commands.number(100L * round + j), 1, true);
        background.add(call);
        lab.spawn(call);
      }
      lab.one(round, 1, true);
    }
    lab.setUnreliable(false);
    // Every background call ends by itself within one()'s 10 s, or fails the test.
    lab.awaitAll(background, 60_000);
    lab.one(100, servers, true);
  }

  /**
   * Figure8Unreliable (5 servers, unreliable network; long reordering of replies from round 200 on):
   * 1000 rounds of: every server is offered a number below 10000; after a short pause the last connected
   * server that accepted as leader is cut off with probability 1/2; when fewer than three are connected,
   * a random cut-off server returns. At the end all reconnect (the network stays unreliable and
   * reordering) and must agree within 10 s.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void figure8Unreliable(long seed) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, true);
    lab.one(lab.random().nextInt(10_000), 1, true);

    int connected = servers;
    for (int round = 0; round < 1000; round++) {
      if (round == 200) {
        lab.setLongReordering(true);
      }
      int leader = -1;
      for (int i = 1; i <= servers; i++) {
        boolean accepted = lab.start(i, Commands.number(lab.random().nextInt(10_000))).isLeader();
        if (accepted && lab.connected(i)) {
          leader = i;
        }
      }
      sleepBriefly(lab);
      if (leader != -1 && lab.random().nextInt(1000) < ELECTION_TIMEOUT / 2) {
        lab.disconnect(leader);
        connected--;
      }
      if (connected < 3) {
        int s = lab.randomServer();
        if (!lab.connected(s)) {
          lab.connect(s);
          connected++;
        }
      }
    }
    for (int i = 1; i <= servers; i++) {
      if (!lab.connected(i)) {
        lab.connect(i);
      }
    }
    lab.one(lab.random().nextInt(10_000), servers, true);
  }

  /**
   * ReliableChurn (5 servers, reliable network): see {@link #churn}.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void reliableChurn(long seed) {
    churn(seed, false);
  }

  /**
   * UnreliableChurn (5 servers, unreliable network until the faults stop): see {@link #churn}.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void unreliableChurn(long seed) {
    churn(seed, true);
  }

  /**
   * Three concurrent clients (see {@link ChurnClient}) keep offering commands while, 20 times 700 ms
   * apart, a random server may be cut off (p = 0.2), a random server restarted if crashed and reconnected
   * (p = 0.5), and a random server crashed (p = 0.2). Then the network turns reliable, every server runs
   * and is connected, the clients stop, and after one more command every server must have applied every
   * command index up to it, and every value a client saw committed must be among them.
   */
  private static void churn(long seed, boolean unreliable) {
    int servers = 5;
    LabCluster lab = new LabCluster(seed, servers, unreliable);

    List<ChurnClient> clients = new ArrayList<>();
    for (int me = 0; me < 3; me++) {
      ChurnClient client = new ChurnClient(lab, me);
      clients.add(client);
      lab.spawn(client);
    }

    for (int round = 0; round < 20; round++) {
      if (lab.random().nextInt(1000) < 200) {
        lab.disconnect(lab.randomServer());
      }
      if (lab.random().nextInt(1000) < 500) {
        int i = lab.randomServer();
        if (!lab.isUp(i)) {
          lab.start1(i);
        }
        lab.connect(i);
      }
      if (lab.random().nextInt(1000) < 200) {
        int i = lab.randomServer();
        if (lab.isUp(i)) {
          lab.crash1(i);
        }
      }
      // Faults often enough that the cluster has rarely settled, rarely enough that it can keep up.
      lab.sleep(ELECTION_TIMEOUT * 7 / 10);
    }

    lab.sleep(ELECTION_TIMEOUT);
    lab.setUnreliable(false);
    for (int i = 1; i <= servers; i++) {
      if (!lab.isUp(i)) {
        lab.start1(i);
      }
      lab.connect(i);
    }

    for (ChurnClient client : clients) {
      client.stop();
    }
    // A client finishes its current round first: at most five looks, 380 ms.
    lab.awaitAll(clients, 10_000);
    List<byte[]> values = new ArrayList<>();
    for (ChurnClient client : clients) {
      values.addAll(client.committed());
    }

    lab.sleep(ELECTION_TIMEOUT);

    long lastIndex = lab.one(lab.randomCommand(), servers, true);
    Set<ByteBuffer> really = new HashSet<>();
    for (long index = 1; index <= lastIndex; index++) {
      really.add(ByteBuffer.wrap(lab.wait(index, servers, -1)));
    }
    for (byte[] v : values) {
      if (!really.contains(ByteBuffer.wrap(v))) {
        throw lab.failure("didn't find a value: " + Commands.show(v) + " was seen committed but is not in"
            + " the final log of " + lastIndex + " commands");
      }
    }
  }
}
