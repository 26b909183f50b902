package org.raftref.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a {@link ScheduledRun} does to a cluster: the faults of its safety phase, the client workload, and
 * which nodes stay down in its liveness phase.
 *
 * <p>Invariants (checked at construction): every fault fits a cluster of {@code nodes} nodes and happens
 * within {@code [0, durationMillis]}; the faults are in time order (faults at one time keep the order they
 * were given in); {@code keepDown} names distinct nodes, at most a minority ({@code (nodes - 1) / 2}), so
 * that the liveness phase always has a live majority.
 *
 * @param nodes the cluster size
 * @param durationMillis the length of the safety phase in virtual milliseconds
 * @param workloadEveryMillis every this many milliseconds of the safety phase, a new command is proposed to
 *     each node that believes it is the leader
 * @param faults the faults of the safety phase, in time order
 * @param keepDown nodes left crashed during the liveness phase, ascending
 */
public record FaultSchedule(
    int nodes, long durationMillis, long workloadEveryMillis, List<TimedFault> faults, List<Integer> keepDown) {

  public FaultSchedule {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
    }
    if (durationMillis < 0) {
      throw new IllegalArgumentException("duration must not be negative, was " + durationMillis);
    }
    if (workloadEveryMillis < 1) {
      throw new IllegalArgumentException("the workload interval must be at least 1 ms, was " + workloadEveryMillis);
    }
    for (TimedFault f : faults) {
      if (f.atMillis() > durationMillis) {
        throw new IllegalArgumentException("fault " + f.render() + " is after the end of the safety phase ("
            + durationMillis + " ms)");
      }
      f.fault().checkFits(nodes);
    }
    List<TimedFault> sorted = new ArrayList<>(faults);
    sorted.sort(Comparator.comparingLong(TimedFault::atMillis)); // stable: equal times keep their order
    faults = List.copyOf(sorted);
    keepDown = keepDown.stream().sorted().toList();
    if (keepDown.stream().distinct().count() != keepDown.size()) {
      throw new IllegalArgumentException("keepdown names a node twice: " + keepDown);
    }
    if (keepDown.size() > (nodes - 1) / 2) {
      throw new IllegalArgumentException("keepdown may name at most " + (nodes - 1) / 2 + " of " + nodes
          + " nodes (a majority must be live), named " + keepDown);
    }
    for (int node : keepDown) {
      if (node < 1 || node > nodes) {
        throw new IllegalArgumentException("keepdown node must be in 1.." + nodes + ", was " + node);
      }
    }
  }

  /**
   * The compact one-argument form, e.g. {@code nodes=3;duration=4000;every=200;keepdown=2;500:crash:2;900:heal}.
   * {@link #parse} reads it back.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("nodes=").append(nodes).append(";duration=").append(durationMillis)
        .append(";every=").append(workloadEveryMillis).append(";keepdown=")
        .append(String.join(",", keepDown.stream().map(String::valueOf).toList()));
    for (TimedFault f : faults) {
      out.append(';').append(f.render());
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }

  /** Reads the form written by {@link #render()}; the error message names the part that is wrong. */
  public static FaultSchedule parse(String text) {
    Integer nodes = null;
    Long duration = null;
    Long every = null;
    List<Integer> keepDown = List.of();
    List<TimedFault> faults = new ArrayList<>();
    for (String part : text.split(";", -1)) {
      String p = part.trim();
      if (p.startsWith("nodes=")) {
        nodes = smallNumber(p, "nodes=");
      } else if (p.startsWith("duration=")) {
        duration = number(p, "duration=");
      } else if (p.startsWith("every=")) {
        every = number(p, "every=");
      } else if (p.startsWith("keepdown=")) {
        List<Integer> down = new ArrayList<>();
        String list = p.substring("keepdown=".length());
        if (!list.isEmpty()) {
          for (String node : list.split(",", -1)) {
            down.add(smallNumber(node, ""));
          }
        }
        keepDown = down;
      } else if (!p.isEmpty()) {
        faults.add(TimedFault.parse(p));
      }
    }
    if (nodes == null || duration == null || every == null) {
      throw new IllegalArgumentException("a schedule must give nodes=, duration= and every=, e.g. "
          + "nodes=3;duration=4000;every=200;keepdown=;500:crash:2");
    }
    return new FaultSchedule(nodes, duration, every, faults, keepDown);
  }

  private static int smallNumber(String part, String prefix) {
    long n = number(part, prefix);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + part + "' is out of range");
    }
    return (int) n;
  }

  private static long number(String part, String prefix) {
    String digits = part.substring(prefix.length());
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + digits + "' in '" + part + "' is not a whole number");
    }
  }
}
