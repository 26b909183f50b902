package org.raftref.sim;

import java.util.ArrayList;
import java.util.List;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.core.Ready;
import org.raftref.message.LogEntry;

/**
 * One node's simulated disk: what it has made durable. A write is durable as soon as {@link #persist}
 * returns (the simulator's driver persists a Ready before advancing the node and before any of the Ready's
 * messages leave, so a crash can only lose what was never handed to the disk). It outlives crashes.
 */
final class SimDisk {

  private HardState hardState = HardState.INITIAL;
  private final ArrayList<LogEntry> log = new ArrayList<>();
  private long writes;

  /** Makes the Ready's hard state and log change durable. */
  void persist(Ready ready) {
    if (ready.hardState() != null) {
      hardState = ready.hardState();
    }
    if (!ready.entries().isEmpty()) {
      int keep = (int) (ready.firstEntryIndex() - 1);
      log.subList(Math.min(keep, log.size()), log.size()).clear();
      log.addAll(ready.entries());
    }
    if (ready.mustPersist()) {
      writes++;
    }
  }

  DurableState load() {
    return new DurableState(hardState, List.copyOf(log));
  }

  HardState hardState() {
    return hardState;
  }

  long writes() {
    return writes;
  }
}
