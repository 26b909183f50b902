package org.raftref.storage;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.DurableState;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/**
 * What a storage was told, and what it acknowledged: the state at the last successful sync, and every
 * state written after it. {@link #check} says whether a recovered state is one a crash may leave.
 */
final class Tracker {

  private HardState hardState = HardState.INITIAL;
  private List<LogEntry> log = new ArrayList<>();

  private HardState ackedHardState = HardState.INITIAL;
  private List<LogEntry> ackedLog = List.of();
  /** States written since the last sync: index 0 is the acknowledged one. */
  private final List<HardState> laterHardStates = new ArrayList<>(List.of(HardState.INITIAL));
  private final List<List<LogEntry>> laterLogs = new ArrayList<>(List.of(List.of()));
  /** floors.get(k): entries up to it were not replaced by writes 1..k after the last sync. */
  private final List<Long> floors = new ArrayList<>(List.of(Long.MAX_VALUE));

  @Nullable Throwable failure;
  int syncs;

  /** Starts from a recovered state, which counts as acknowledged. */
  Tracker(DurableState start) {
    hardState = start.hardState();
    log = new ArrayList<>(start.log());
    synced();
    syncs = 0;
  }

  void wrote(Workload.SaveHardState step) {
    hardState = step.hardState();
    record(Long.MAX_VALUE);
  }

  void wrote(Workload.ReplaceLog step) {
    log.subList((int) step.firstIndex() - 1, log.size()).clear();
    log.addAll(step.entries());
    record(step.firstIndex() - 1);
  }

  private void record(long floor) {
    laterHardStates.add(hardState);
    laterLogs.add(List.copyOf(log));
    floors.add(Math.min(floor, floors.get(floors.size() - 1)));
  }

  void synced() {
    syncs++;
    ackedHardState = hardState;
    ackedLog = List.copyOf(log);
    laterHardStates.clear();
    laterHardStates.add(hardState);
    laterLogs.clear();
    laterLogs.add(ackedLog);
    floors.clear();
    floors.add(Long.MAX_VALUE);
  }

  List<LogEntry> ackedLog() {
    return ackedLog;
  }

  HardState ackedHardState() {
    return ackedHardState;
  }

  /**
   * Acknowledged entries the recovered log lost: entries of the acknowledged log that no later write
   * replaced and that are missing or different in {@code recovered}.
   */
  int lostAcknowledged(DurableState recovered) {
    long untouched = Math.min(ackedLog.size(), floors.get(floors.size() - 1));
    int lost = 0;
    for (int i = 0; i < untouched; i++) {
      if (i >= recovered.log().size() || !recovered.log().get(i).equals(ackedLog.get(i))) {
        lost++;
      }
    }
    return lost;
  }

  /** Null if {@code recovered} is a state a crash may leave, else what is wrong with it. */
  @Nullable String check(DurableState recovered) {
    int lost = lostAcknowledged(recovered);
    if (lost > 0) {
      return lost + " acknowledged entries lost: acknowledged log has " + ackedLog.size()
          + " entries, recovered " + recovered.log().size();
    }
    if (!laterHardStates.contains(recovered.hardState())) {
      return "recovered hard state " + recovered.hardState() + " was never written since the last sync ("
          + ackedHardState + ")";
    }
    // A sync cuts the log first (down to the lowest index any write replaced, one segment at a time), then
    // appends: so a crash may leave any prefix of a written log down to that cut.
    List<LogEntry> r = recovered.log();
    long floor = Math.min(ackedLog.size(), floors.get(floors.size() - 1));
    for (List<LogEntry> s : laterLogs) {
      if (r.size() <= s.size() && r.size() >= floor && s.subList(0, r.size()).equals(r)) {
        return null;
      }
    }
    return "recovered log of " + r.size() + " entries is not a prefix of any log written since the last sync"
        + " that keeps the acknowledged entries";
  }
}
