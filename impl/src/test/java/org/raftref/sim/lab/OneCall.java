package org.raftref.sim.lab;

/**
 * The lab's {@code one(cmd, expectedServers, retry)} as a {@link LogicalClient}: offer {@code cmd} to the
 * connected servers in turn until one accepts it as leader, then poll every 20 ms for up to 2 s until at
 * least {@code expectedServers} servers have applied it at the command index the leader gave. Without
 * {@code retry} a first miss fails; with it, the offer is repeated (50 ms apart while no server accepts)
 * until 10 s have passed since the call began, and then it fails.
 */
final class OneCall implements LogicalClient {

  private static final long GIVE_UP_MILLIS = 10_000;
  private static final long AGREEMENT_WAIT_MILLIS = 2_000;
  private static final long POLL_MILLIS = 20;
  private static final long NO_LEADER_PAUSE_MILLIS = 50;

  private final LabCluster lab;
  private final byte[] command;
  private final int expectedServers;
  private final boolean retry;
  private final long began;

  /** The server after which the next offer starts: the lab rotates through the servers across offers. */
  private int lastTried;
  /** Command index the accepting leader gave, or -1 while none accepted the current offer. */
  private long index = -1;
  private long offeredAt;
  private boolean finished;

  OneCall(LabCluster lab, byte[] command, int expectedServers, boolean retry) {
    this.lab = lab;
    this.command = command;
    this.expectedServers = expectedServers;
    this.retry = retry;
    this.began = lab.now();
  }

  @Override
  public long act() {
    while (true) {
      if (index == -1) {
        if (lab.now() - began >= GIVE_UP_MILLIS) {
          throw lab.failure("one(" + Commands.show(command) + ") failed to reach agreement within 10 s");
        }
        index = offer();
        if (index == -1) {
          return NO_LEADER_PAUSE_MILLIS;
        }
        offeredAt = lab.now();
      }
      if (lab.now() - offeredAt < AGREEMENT_WAIT_MILLIS) {
        LabCluster.Committed committed = lab.nCommitted(index);
        if (committed.count() > 0 && committed.count() >= expectedServers
            && java.util.Arrays.equals(committed.command(), command)) {
          finished = true;
          return FINISHED;
        }
        return POLL_MILLIS;
      }
      if (!retry) {
        throw lab.failure("one(" + Commands.show(command) + ") failed to reach agreement: "
            + lab.nCommitted(index).count() + " of " + expectedServers + " servers applied command index "
            + index + " within 2 s");
      }
      index = -1;
    }
  }

  /** Offers the command to each connected, running server once; the command index if one accepted. */
  private long offer() {
    for (int k = 0; k < lab.servers(); k++) {
      lastTried = lastTried % lab.servers() + 1;
      if (lab.connected(lastTried) && lab.isUp(lastTried)) {
        LabCluster.Start start = lab.start(lastTried, command);
        if (start.isLeader()) {
          return start.index();
        }
      }
    }
    return -1;
  }

  @Override
  public boolean finished() {
    return finished;
  }

  /** The command index at which the command was applied; valid once {@link #finished()}. */
  long index() {
    if (!finished) {
      throw new IllegalStateException("one(" + Commands.show(command) + ") has not finished");
    }
    return index;
  }
}
