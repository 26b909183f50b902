package org.raftref.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One fault a {@link FaultSchedule} applies to a {@link Cluster}: a node crashing or restarting, the network
 * splitting or healing, or the network's message faults switching on or off.
 *
 * <p>Each fault has a compact text form without spaces (for example {@code crash:2},
 * {@code crash:leader}, {@code partition:1,2/3}, {@code duplicate:0.05}) so that a whole schedule fits in one shell argument and a
 * failing schedule can be replayed from the command line; {@link #parse} reads it back.
 */
public sealed interface Fault {

  /** Does this fault to {@code cluster}. */
  void applyTo(Cluster cluster);

  /** The compact text form; {@link #parse} turns it back into an equal fault. */
  String render();

  /** Throws {@link IllegalArgumentException} if this fault does not fit a cluster of {@code nodes} nodes. */
  default void checkFits(int nodes) {}

  /** The node stops; its messages in flight are lost; its disk survives. A crashed node stays down. */
  record Crash(int node) implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.crash(node);
    }

    @Override
    public String render() {
      return "crash:" + node;
    }

    @Override
    public void checkFits(int nodes) {
      checkNode(node, nodes);
    }
  }

  /** The current leader (the running leader of the highest term) crashes; nothing happens if there is none. */
  record CrashLeader() implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      int leader = ScheduledRun.currentLeader(cluster);
      if (leader != 0) {
        cluster.crash(leader);
      }
    }

    @Override
    public String render() {
      return "crash:leader";
    }
  }

  /** The current leader is cut off, as 6.824's tests do to force an election; nothing if there is none. */
  record DisconnectLeader() implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      int leader = ScheduledRun.currentLeader(cluster);
      if (leader != 0) {
        cluster.disconnect(leader);
      }
    }

    @Override
    public String render() {
      return "disconnect:leader";
    }
  }

  /** The node starts again from its disk (a running node crashes first). */
  record Restart(int node) implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.restart(node);
    }

    @Override
    public String render() {
      return "restart:" + node;
    }

    @Override
    public void checkFits(int nodes) {
      checkNode(node, nodes);
    }
  }

  /** The node neither sends nor receives until it is connected again or the network heals. */
  record Disconnect(int node) implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.disconnect(node);
    }

    @Override
    public String render() {
      return "disconnect:" + node;
    }

    @Override
    public void checkFits(int nodes) {
      checkNode(node, nodes);
    }
  }

  record Connect(int node) implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.connect(node);
    }

    @Override
    public String render() {
      return "connect:" + node;
    }

    @Override
    public void checkFits(int nodes) {
      checkNode(node, nodes);
    }
  }

  /**
   * Only nodes of one group can talk. Nodes named in no group form one more group together. A partition
   * replaces the previous one; per-node disconnects stay as they were.
   */
  record Partition(List<List<Integer>> groups) implements Fault {
    public Partition {
      groups = groups.stream().map(List::copyOf).toList();
    }

    @Override
    public void applyTo(Cluster cluster) {
      int[] groupOf = new int[cluster.size()];
      for (int g = 0; g < groups.size(); g++) {
        for (int node : groups.get(g)) {
          groupOf[node - 1] = g + 1;
        }
      }
      cluster.partition(groupOf);
    }

    @Override
    public String render() {
      List<String> parts = new ArrayList<>();
      for (List<Integer> group : groups) {
        parts.add(String.join(",", group.stream().map(String::valueOf).toList()));
      }
      return "partition:" + String.join("/", parts);
    }

    @Override
    public void checkFits(int nodes) {
      boolean[] seen = new boolean[nodes + 1];
      for (List<Integer> group : groups) {
        if (group.isEmpty()) {
          throw new IllegalArgumentException("a partition group must name at least one node: " + render());
        }
        for (int node : group) {
          checkNode(node, nodes);
          if (seen[node]) {
            throw new IllegalArgumentException("node " + node + " is in two groups of " + render());
          }
          seen[node] = true;
        }
      }
    }
  }

  /** Every node connected again and any partition removed (message faults stay as they are). */
  record Heal() implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.heal();
    }

    @Override
    public String render() {
      return "heal";
    }
  }

  /** Reliable: every message arrives. Unreliable: labrpc's 10% loss and 0–27 ms of extra delay. */
  record Reliable(boolean on) implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.setReliable(on);
    }

    @Override
    public String render() {
      return "reliable:" + onOff(on);
    }
  }

  /** labrpc's long reordering: replies delayed by 200–2200 ms with probability 2/3. */
  record LongReordering(boolean on) implements Fault {
    @Override
    public void applyTo(Cluster cluster) {
      cluster.setLongReordering(on);
    }

    @Override
    public String render() {
      return "reorder:" + onOff(on);
    }
  }

  /** Each message arrives twice with this probability, in [0, 1). */
  record Duplication(double probability) implements Fault {
    public Duplication {
      if (!(probability >= 0 && probability < 1)) {
        throw new IllegalArgumentException("duplicate probability must be in [0, 1), was " + probability);
      }
    }

    @Override
    public void applyTo(Cluster cluster) {
      cluster.setDuplicateProbability(probability);
    }

    @Override
    public String render() {
      return "duplicate:" + probability;
    }
  }

  /** Reads the compact form written by {@link #render()}. */
  static Fault parse(String text) {
    int colon = text.indexOf(':');
    String kind = (colon < 0 ? text : text.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? "" : text.substring(colon + 1);
    if (kind.equals("heal")) {
      if (colon >= 0) {
        throw new IllegalArgumentException("heal takes no argument: '" + text + "'");
      }
      return new Heal();
    }
    if (colon < 0) {
      throw new IllegalArgumentException("fault '" + text + "' needs an argument after ':'");
    }
    if (arg.equals("leader") && (kind.equals("crash") || kind.equals("disconnect"))) {
      return kind.equals("crash") ? new CrashLeader() : new DisconnectLeader();
    }
    return switch (kind) {
      case "crash" -> new Crash(parseNode(arg, text));
      case "restart" -> new Restart(parseNode(arg, text));
      case "disconnect" -> new Disconnect(parseNode(arg, text));
      case "connect" -> new Connect(parseNode(arg, text));
      case "partition" -> new Partition(parseGroups(arg, text));
      case "reliable" -> new Reliable(parseOnOff(arg, text));
      case "reorder" -> new LongReordering(parseOnOff(arg, text));
      case "duplicate" -> new Duplication(parseProbability(arg, text));
      default -> throw new IllegalArgumentException("unknown fault '" + kind + "' in '" + text
          + "' (known: crash, restart, disconnect, connect, partition, heal, reliable, reorder, duplicate)");
    };
  }

  private static void checkNode(int node, int nodes) {
    if (node < 1 || node > nodes) {
      throw new IllegalArgumentException("node must be in 1.." + nodes + ", was " + node);
    }
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  private static int parseNode(String arg, String text) {
    try {
      return Integer.parseInt(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + arg + "' in '" + text + "' is not a node id"
          + (text.startsWith("crash:") || text.startsWith("disconnect:") ? " or 'leader'" : ""));
    }
  }

  private static List<List<Integer>> parseGroups(String arg, String text) {
    List<List<Integer>> groups = new ArrayList<>();
    for (String group : arg.split("/", -1)) {
      List<Integer> nodes = new ArrayList<>();
      for (String node : group.split(",", -1)) {
        nodes.add(parseNode(node, text));
      }
      groups.add(nodes);
    }
    return groups;
  }

  private static boolean parseOnOff(String arg, String text) {
    return switch (arg) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("'" + arg + "' in '" + text + "' must be on or off");
    };
  }

  private static double parseProbability(String arg, String text) {
    try {
      return Double.parseDouble(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + arg + "' in '" + text + "' is not a probability");
    }
  }
}
