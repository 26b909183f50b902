package org.raftref.sim.lab;

import static org.raftref.sim.lab.LabCluster.ELECTION_TIMEOUT;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Part 2A of the MIT 6.824 (2023) Raft lab, leader election, on the simulator in virtual time: a leader
 * within 5 s (checkOneLeader), no leader without a quorum, and a stable leader while nothing fails.
 * Reference: §5.2 of the Raft paper.
 */
@ExtendWith(ReplayOnFailure.class)
class Lab2ATest {

  /**
   * InitialElection (3 servers): a leader appears; all servers agree on a term of at least 1; with no
   * failures the term should not change over two election timeouts (the lab only warns if it does), and
   * there is still a leader.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void initialElection(long seed) {
    LabCluster lab = new LabCluster(seed, 3, false);
    lab.checkOneLeader();
    // Give followers time to hear of the election before comparing terms.
    lab.sleep(50);
    long term1 = lab.checkTerms();
    if (term1 < 1) {
      throw lab.failure("term is " + term1 + ", but should be at least 1");
    }
    lab.sleep(2 * ELECTION_TIMEOUT);
    long term2 = lab.checkTerms();
    if (term1 != term2) {
      System.err.println("warning (seed " + seed + "): term changed from " + term1 + " to " + term2
          + " even though there were no failures");
    }
    lab.checkOneLeader();
  }

  /**
   * ReElection (3 servers): a new leader when the leader is cut off; the old leader's return does not
   * disturb it; no leader while two of three are cut off; a leader again once a quorum is back.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void reElection(long seed) {
    LabCluster lab = new LabCluster(seed, 3, false);
    int leader1 = lab.checkOneLeader();

    lab.disconnect(leader1);
    lab.checkOneLeader();

    lab.connect(leader1);
    int leader2 = lab.checkOneLeader();

    lab.disconnect(leader2);
    lab.disconnect(lab.after(leader2, 1));
    lab.sleep(2 * ELECTION_TIMEOUT);
    lab.checkNoLeader();

    lab.connect(lab.after(leader2, 1));
    lab.checkOneLeader();

    lab.connect(leader2);
    lab.checkOneLeader();
  }

  /**
   * ManyElections (7 servers): nine times, cut off three random servers (possibly the same one twice);
   * either the leader survives or the remaining four elect one; then reconnect them.
   */
  @ParameterizedTest(name = Seeds.DISPLAY_NAME)
  @MethodSource("org.raftref.sim.lab.Seeds#seeds")
  void manyElections(long seed) {
    LabCluster lab = new LabCluster(seed, 7, false);
    lab.checkOneLeader();
    for (int round = 1; round < 10; round++) {
      int i1 = lab.randomServer();
      int i2 = lab.randomServer();
      int i3 = lab.randomServer();
      lab.disconnect(i1);
      lab.disconnect(i2);
      lab.disconnect(i3);

      lab.checkOneLeader();

      lab.connect(i1);
      lab.connect(i2);
      lab.connect(i3);
    }
    lab.checkOneLeader();
  }
}
