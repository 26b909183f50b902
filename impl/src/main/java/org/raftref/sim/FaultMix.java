package org.raftref.sim;

import java.util.Locale;

/** Which kinds of fault a generated schedule may contain. */
public enum FaultMix {
  /** No faults: the client workload on a reliable network. */
  NONE(false, false, false),
  /** Message faults: unreliable network (loss, delay), long reordering, duplication. */
  LOSS(true, false, false),
  /** Connectivity faults: per-node disconnects and partitions, and healing. */
  PARTITIONS(false, true, false),
  /** Node faults: crashes and restarts from the simulated disk. */
  CRASHES(false, false, true),
  ALL(true, true, true);

  private final boolean messageFaults;
  private final boolean connectivityFaults;
  private final boolean nodeFaults;

  FaultMix(boolean messageFaults, boolean connectivityFaults, boolean nodeFaults) {
    this.messageFaults = messageFaults;
    this.connectivityFaults = connectivityFaults;
    this.nodeFaults = nodeFaults;
  }

  public boolean messageFaults() {
    return messageFaults;
  }

  public boolean connectivityFaults() {
    return connectivityFaults;
  }

  public boolean nodeFaults() {
    return nodeFaults;
  }

  /** The name as the command line spells it: {@code none}, {@code loss}, … */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
