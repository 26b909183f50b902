package org.raftref.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.core.ProposeResult;
import org.raftref.core.RaftNode;
import org.raftref.core.Role;
import org.raftref.message.Message;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceSink;

/** The simulator's own behaviour: it elects, commits, survives a crash, and replays a seed exactly. */
class ClusterTest {

  private static int leaderOf(Cluster c) {
    for (int i = 1; i <= c.size(); i++) {
      RaftNode n = c.node(i);
      if (n != null && n.role() == Role.Leader) {
        return i;
      }
    }
    return 0;
  }

  @Test
  void electsCommitsAndRecoversFromALeaderCrash() {
    Cluster c = new Cluster(7, 3, SimParams.DEFAULTS, TraceSink.NONE);
    assertTrue(c.runUntil(() -> leaderOf(c) != 0, 5_000), "no leader within 5 s: " + c.describe());
    int leader = leaderOf(c);
    ProposeResult result = c.propose(leader, "x".getBytes(StandardCharsets.UTF_8));
    ProposeResult.Accepted accepted = assertInstanceOf(ProposeResult.Accepted.class, result);
    assertTrue(c.runUntil(() -> c.committed().size() >= accepted.index(), 2_000));

    c.crash(leader);
    assertTrue(c.runUntil(() -> leaderOf(c) != 0, 5_000), "no new leader after a crash");
    int next = leaderOf(c);
    assertTrue(next != leader);
    c.restart(leader);
    c.propose(next, "y".getBytes(StandardCharsets.UTF_8));
    assertTrue(c.runUntil(() -> c.applied(leader).size() == c.applied(next).size()
        && c.applied(next).size() >= 3, 5_000), "the restarted node did not catch up");
    assertEquals(c.applied(next), c.applied(leader));
  }

  /** Records every trace event as a line of text: enough to tell two runs apart. */
  private static final class TextSink implements TraceSink {
    final List<String> lines = new ArrayList<>();

    @Override
    public void nodeStep(TraceAction action, NodeStateView post, Message received, Message sent) {
      lines.add(action + " " + post.id() + " t" + post.currentTerm() + " c" + post.commitIndex() + " "
          + received + " " + sent);
    }

    @Override
    public void environmentStep(TraceAction action, int node, Message message) {
      lines.add(action + " " + node + " " + message);
    }
  }

  private static List<String> run(long seed) {
    TextSink sink = new TextSink();
    Cluster c = new Cluster(seed, 5, SimParams.DEFAULTS, sink);
    c.setReliable(false);
    c.setDuplicateProbability(0.05);
    for (int round = 0; round < 20; round++) {
      c.runFor(300);
      int leader = leaderOf(c);
      if (leader != 0) {
        c.propose(leader, ("cmd" + round).getBytes(StandardCharsets.UTF_8));
      }
      if (round == 8) {
        c.crash(2);
      }
      if (round == 12) {
        c.restart(2);
      }
    }
    return sink.lines;
  }

  @Test
  void theSameSeedGivesTheSameRunAndAnotherSeedAnother() {
    List<String> first = run(42);
    assertTrue(first.size() > 500, "too few events to compare: " + first.size());
    assertEquals(first, run(42));
    assertTrue(!first.equals(run(43)));
  }

  @Test
  void aDisconnectedMinorityCannotCommit() {
    Cluster c = new Cluster(3, 5, SimParams.DEFAULTS, TraceSink.NONE);
    assertTrue(c.runUntil(() -> leaderOf(c) != 0, 5_000));
    int leader = leaderOf(c);
    c.partition(groupsWithLeaderInMinority(leader));
    ProposeResult r = c.propose(leader, "lost".getBytes(StandardCharsets.UTF_8));
    assertNotNull(r);
    long before = c.committed().size();
    c.runFor(3_000);
    assertTrue(c.committed().stream().noneMatch(e -> new String(e.command(), StandardCharsets.UTF_8).equals("lost")));
    assertTrue(c.committed().size() >= before);
  }

  /** The leader and one other node in group 1, the other three in group 0. */
  private static int[] groupsWithLeaderInMinority(int leader) {
    int[] groups = new int[5];
    groups[leader - 1] = 1;
    groups[leader % 5] = 1;
    return groups;
  }
}
