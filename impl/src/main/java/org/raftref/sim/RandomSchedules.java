package org.raftref.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random fault schedules from a seed, for the command line (the jqwik properties build theirs with jqwik's
 * generators, so that they shrink).
 *
 * <p>As in TigerBeetle's VOPR, the seed first derives the run's parameters (cluster size unless given, how
 * often faults happen, how busy the client is, how much duplication, which nodes stay down at the end),
 * then the faults. The schedule draws from its own generator, salted so that it is independent of the
 * cluster's, which is seeded with the same seed.
 */
public final class RandomSchedules {

  private static final long SALT = 0x5EED_FA17_5C4E_D01EL;

  /** Cluster sizes a seed may pick: 3 to 7. */
  static final int MIN_DERIVED_NODES = 3;
  static final int MAX_DERIVED_NODES = 7;

  /**
   * A generated schedule and the parameters the seed derived for it.
   *
   * @param meanFaultGapMillis the mean virtual time between two faults
   * @param maxDuplicateProbability the highest duplication probability a fault may set
   */
  public record Generated(long seed, FaultMix mix, FaultSchedule schedule, long meanFaultGapMillis,
      double maxDuplicateProbability) {

    /** The derived parameters, as {@code key=value} words for the first line of output. */
    public String describe() {
      return "faults=" + mix.label() + " durationMillis=" + schedule.durationMillis()
          + " faultCount=" + schedule.faults().size() + " meanFaultGapMillis=" + meanFaultGapMillis
          + " workloadEveryMillis=" + schedule.workloadEveryMillis()
          + " maxDuplicate=" + String.format(java.util.Locale.ROOT, "%.3f", maxDuplicateProbability)
          + " keepDown=" + schedule.keepDown();
    }
  }

  private RandomSchedules() {}

  /**
   * The schedule for {@code seed}.
   *
   * @param nodes the cluster size, or 0 to let the seed pick one in 3..7
   */
  public static Generated generate(long seed, int nodes, long durationMillis, FaultMix mix) {
    SplittableRandom random = new SplittableRandom(seed ^ SALT);
    int derivedNodes = MIN_DERIVED_NODES + random.nextInt(MAX_DERIVED_NODES - MIN_DERIVED_NODES + 1);
    int n = nodes > 0 ? nodes : derivedNodes;
    long gap = 200 + random.nextInt(1801);
    long every = 20 + random.nextInt(481);
    double maxDuplicate = mix.messageFaults() ? thousandths(random.nextDouble() * 0.2) : 0;
    List<Integer> keepDown = mix.nodeFaults() ? pickNodes(random, n, random.nextInt((n - 1) / 2 + 1)) : List.of();

    Model model = new Model(random, n, maxDuplicate);
    List<TimedFault> faults = new ArrayList<>();
    for (long t = gap / 2 + random.nextLong(gap + 1); t <= durationMillis; t += gap / 2 + random.nextLong(gap + 1)) {
      List<Character> kinds = new ArrayList<>();
      if (mix.messageFaults()) {
        kinds.add('m');
      }
      if (mix.connectivityFaults()) {
        kinds.add('c');
      }
      if (mix.nodeFaults()) {
        kinds.add('n');
      }
      if (kinds.isEmpty()) {
        break;
      }
      Fault fault = switch (kinds.get(random.nextInt(kinds.size()))) {
        case 'm' -> model.messageFault();
        case 'c' -> model.connectivityFault();
        default -> model.nodeFault();
      };
      faults.add(new TimedFault(t, fault));
    }
    FaultSchedule schedule = new FaultSchedule(n, durationMillis, every, faults, keepDown);
    return new Generated(seed, mix, schedule, gap, maxDuplicate);
  }

  /** {@code p} rounded to three decimals, so that schedules print short. */
  private static double thousandths(double p) {
    return Math.round(p * 1000) / 1000.0;
  }

  /** {@code count} distinct nodes of 1..n, ascending. */
  private static List<Integer> pickNodes(SplittableRandom random, int n, int count) {
    List<Integer> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(i);
    }
    shuffle(random, all);
    return all.subList(0, count).stream().sorted().toList();
  }

  private static void shuffle(SplittableRandom random, List<Integer> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      list.set(j, list.set(i, list.get(j)));
    }
  }

  /** What the generator knows of the cluster, so that each fault changes something. */
  private static final class Model {
    final SplittableRandom random;
    final int n;
    final double maxDuplicate;
    final boolean[] down;
    final boolean[] disconnected;
    boolean unreliable;
    boolean reordering;
    boolean duplicating;

    Model(SplittableRandom random, int n, double maxDuplicate) {
      this.random = random;
      this.n = n;
      this.maxDuplicate = maxDuplicate;
      this.down = new boolean[n + 1];
      this.disconnected = new boolean[n + 1];
    }

    Fault messageFault() {
      return switch (random.nextInt(3)) {
        case 0 -> {
          unreliable = !unreliable;
          yield new Fault.Reliable(!unreliable);
        }
        case 1 -> {
          reordering = !reordering;
          yield new Fault.LongReordering(reordering);
        }
        default -> {
          duplicating = !duplicating && maxDuplicate > 0;
          yield new Fault.Duplication(duplicating ? thousandths(random.nextDouble() * maxDuplicate) : 0);
        }
      };
    }

    Fault connectivityFault() {
      int choice = random.nextInt(5);
      if (choice == 0) {
        java.util.Arrays.fill(disconnected, false);
        return new Fault.Heal();
      }
      if (choice == 1 && n >= 2) {
        return partition();
      }
      if (choice == 2) {
        return new Fault.DisconnectLeader(); // which node that is, only the run knows: the next heal undoes it
      }
      List<Integer> connected = nodes(false, disconnected);
      List<Integer> cut = nodes(true, disconnected);
      if (!cut.isEmpty() && (connected.isEmpty() || random.nextBoolean())) {
        int node = cut.get(random.nextInt(cut.size()));
        disconnected[node] = false;
        return new Fault.Connect(node);
      }
      int node = connected.get(random.nextInt(connected.size()));
      disconnected[node] = true;
      return new Fault.Disconnect(node);
    }

    /** Two or three non-empty groups (two if there are only two nodes). */
    private Fault partition() {
      int groups = n >= 3 && random.nextInt(3) == 0 ? 3 : 2;
      List<Integer> order = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        order.add(i);
      }
      shuffle(random, order);
      List<List<Integer>> parts = new ArrayList<>();
      int from = 0;
      for (int g = 0; g < groups; g++) {
        int left = groups - g - 1;
        int to = g == groups - 1 ? n : from + 1 + random.nextInt(n - from - left);
        parts.add(order.subList(from, to).stream().sorted().toList());
        from = to;
      }
      return new Fault.Partition(parts);
    }

    Fault nodeFault() {
      List<Integer> up = nodes(false, down);
      List<Integer> crashed = nodes(true, down);
      int choice = random.nextInt(10);
      if (choice == 0) {
        // Which node that is, only the run knows; the restarts of any node below bring it back.
        return new Fault.CrashLeader();
      }
      // Restart more often than crash once a majority is down: runs should mostly be able to make progress,
      // with spells in which they cannot.
      boolean majorityDown = crashed.size() > n / 2;
      if (!crashed.isEmpty() && (up.isEmpty() || random.nextInt(4) < (majorityDown ? 3 : 2))) {
        int node = crashed.get(random.nextInt(crashed.size()));
        down[node] = false;
        return new Fault.Restart(node);
      }
      if (choice <= 3) {
        // Any node: a running one crashes and restarts at once (only what was synced survives).
        int node = 1 + random.nextInt(n);
        down[node] = false;
        return new Fault.Restart(node);
      }
      int node = up.get(random.nextInt(up.size()));
      down[node] = true;
      return new Fault.Crash(node);
    }

    /** The nodes i in 1..n with flag[i] == value. */
    private List<Integer> nodes(boolean value, boolean[] flag) {
      List<Integer> result = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        if (flag[i] == value) {
          result.add(i);
        }
      }
      return result;
    }
  }
}
