package org.raftref.sim.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client of the lab's churn tests, as a {@link LogicalClient}. Until told to stop, it offers a random
 * number to every running server (connected or not: any may think it leads), keeps the index of the last
 * one that accepted, and looks whether that index was applied right away and after 10, 20, 50, 100 and
 * 200 ms more; if the number is there, the client records it as committed. A round in which no server
 * accepted ends with a pause of 79 + 17 × (client number) ms.
 */
final class ChurnClient implements LogicalClient {

  private static final long[] CHECK_PAUSES = {10, 20, 50, 100, 200};

  private final LabCluster lab;
  private final int me;
  private final List<byte[]> committed = new ArrayList<>();
  private boolean stop;
  private boolean finished;

  private byte[] value = new byte[0];
  /** Command index to look at, or -1 between offers. */
  private long index = -1;
  private int checks;

  ChurnClient(LabCluster lab, int me) {
    this.lab = lab;
    this.me = me;
  }

  /** Asks the client to finish its current round and stop. */
  void stop() {
    stop = true;
  }

  @Override
  public long act() {
    while (true) {
      if (index == -1) {
        if (stop) {
          finished = true;
          return FINISHED;
        }
        value = lab.randomCommand();
        index = offer(value);
        if (index == -1) {
          return 79 + 17L * me;
        }
        checks = 0;
      }
      if (checks == CHECK_PAUSES.length) {
        // Slept after the last look: give up on this value.
        index = -1;
        continue;
      }
      LabCluster.Committed there = lab.nCommitted(index);
      if (there.count() > 0) {
        if (Arrays.equals(there.command(), value)) {
          committed.add(value);
        }
        index = -1;
        continue;
      }
      return CHECK_PAUSES[checks++];
    }
  }

  /** Offers {@code command} to every running server; the command index of the last that accepted, or -1. */
  private long offer(byte[] command) {
    long accepted = -1;
    for (int i = 1; i <= lab.servers(); i++) {
      if (lab.isUp(i)) {
        LabCluster.Start start = lab.start(i, command);
        if (start.isLeader()) {
          accepted = start.index();
        }
      }
    }
    return accepted;
  }

  @Override
  public boolean finished() {
    return finished;
  }

  /** The commands this client saw applied at the index it was given. */
  List<byte[]> committed() {
    return committed;
  }
}
