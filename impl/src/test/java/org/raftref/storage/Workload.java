package org.raftref.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.raftref.core.HardState;
import org.raftref.message.LogEntry;

/**
 * A seeded sequence of storage writes and syncs shaped like a node's (terms rise, a new term may replace a
 * tail of the log), and the bookkeeping that says what a crash may and may not lose.
 */
final class Workload {

  sealed interface Step permits SaveHardState, ReplaceLog, Sync {}

  record SaveHardState(HardState hardState) implements Step {}

  record ReplaceLog(long firstIndex, List<LogEntry> entries) implements Step {}

  record Sync() implements Step {}

  final long seed;
  final List<Step> steps;

  private Workload(long seed, List<Step> steps) {
    this.seed = seed;
    this.steps = List.copyOf(steps);
  }

  static Workload generate(long seed, int size, int maxCommandBytes) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Step> steps = new ArrayList<>();
    long term = 1;
    int votedFor = 0;
    long lastIndex = 0;
    steps.add(new SaveHardState(new HardState(term, 0)));
    while (steps.size() < size) {
      int roll = random.nextInt(100);
      if (roll < 40) {
        int n = 1 + random.nextInt(4);
        steps.add(new ReplaceLog(lastIndex + 1, entries(random, term, n, maxCommandBytes)));
        lastIndex += n;
      } else if (roll < 48) {
        term++;
        votedFor = random.nextInt(4);
        steps.add(new SaveHardState(new HardState(term, votedFor)));
      } else if (roll < 53 && votedFor == 0) {
        votedFor = 1 + random.nextInt(3);
        steps.add(new SaveHardState(new HardState(term, votedFor)));
      } else if (roll < 60 && lastIndex > 0) {
        // A new leader's entries replace a conflicting tail (a follower's truncation).
        term++;
        steps.add(new SaveHardState(new HardState(term, 0)));
        long first = Math.max(1, lastIndex - random.nextInt(6));
        int n = random.nextInt(4);
        steps.add(new ReplaceLog(first, entries(random, term, n, maxCommandBytes)));
        lastIndex = first - 1 + n;
      } else {
        steps.add(new Sync());
      }
    }
    steps.add(new Sync());
    return new Workload(seed, steps);
  }

  private static List<LogEntry> entries(SplittableRandom random, long term, int n, int maxCommandBytes) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] command = new byte[random.nextInt(maxCommandBytes + 1)];
      for (int b = 0; b < command.length; b++) {
        command[b] = (byte) random.nextInt(256);
      }
      entries.add(new LogEntry(term, command));
    }
    return entries;
  }

  /**
   * Runs the steps against {@code storage} (already loaded) until one throws, tracking what was
   * acknowledged. Returns the tracker; {@link Tracker#failure} is what stopped the run, if anything did.
   */
  Tracker run(Storage storage, Tracker tracker) {
    for (Step step : steps) {
      try {
        if (step instanceof SaveHardState s) {
          storage.saveHardState(s.hardState());
          tracker.wrote(s);
        } else if (step instanceof ReplaceLog r) {
          storage.replaceLog(r.firstIndex(), r.entries());
          tracker.wrote(r);
        } else {
          storage.sync();
          tracker.synced();
        }
      } catch (StorageException | SimFileIo.Crash e) {
        tracker.failure = e;
        return tracker;
      }
    }
    return tracker;
  }
}
