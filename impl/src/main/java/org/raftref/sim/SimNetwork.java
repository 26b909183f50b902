package org.raftref.sim;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.SplittableRandom;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;

/**
 * The simulated network, modelled on the 6.824 lab's labrpc, with one-way messages: requests and replies.
 *
 * <ul>
 *   <li>Reliable: every message arrives after {@code latencyMillis}.</li>
 *   <li>Unreliable: 10% of requests are lost, 10% of replies are lost (so the handler ran but the caller never
 *       hears of it), and every message is delayed by 0–27 ms more.</li>
 *   <li>Long reordering: a reply is delayed by 200–2200 ms with probability 2/3.</li>
 *   <li>Duplication: a message arrives twice with the given probability.</li>
 *   <li>Connectivity: a disconnected node neither sends nor receives; with a partition, only nodes in the
 *       same group talk. Both are checked when a message is sent and again when it would arrive.</li>
 * </ul>
 * Every random choice comes from the simulator's one generator.
 */
final class SimNetwork {

  /** One copy of a message on its way. */
  static final class Flight {
    final Message message;
    boolean gone;

    Flight(Message message) {
      this.message = message;
    }
  }

  private final SplittableRandom random;
  private final int size;
  private boolean reliable = true;
  private boolean longReordering;
  private double duplicateProbability;
  private final boolean[] connected;
  /** partition[i] is node i's group; nodes talk only within a group. All 0 = no partition. */
  private final int[] partition;
  /** Messages on their way, per sender, in the order sent (so that a crash drops them deterministically). */
  private final LinkedHashSet<Flight>[] inFlightFrom;

  private final long[] rpcsReceived;
  private long requestBytes;
  private long messagesSent;

  @SuppressWarnings("unchecked")
  SimNetwork(SplittableRandom random, int size) {
    this.random = random;
    this.size = size;
    this.connected = new boolean[size + 1];
    Arrays.fill(connected, true);
    this.partition = new int[size + 1];
    this.inFlightFrom = new LinkedHashSet[size + 1];
    for (int i = 0; i <= size; i++) {
      inFlightFrom[i] = new LinkedHashSet<>();
    }
    this.rpcsReceived = new long[size + 1];
  }

  static boolean isRequest(Message m) {
    return m instanceof RequestVoteRequest || m instanceof AppendEntriesRequest;
  }

  boolean canTalk(int from, int to) {
    return connected[from] && connected[to] && partition[from] == partition[to];
  }

  /** The delay of each copy that will arrive: none if the message is lost, two if it is duplicated. */
  long[] fate(Message m, int baseLatency) {
    messagesSent++;
    if (!canTalk(m.from(), m.to())) {
      return new long[0];
    }
    if (!reliable && random.nextInt(1000) < 100) {
      return new long[0];
    }
    int copies = duplicateProbability > 0 && random.nextDouble() < duplicateProbability ? 2 : 1;
    long[] delays = new long[copies];
    for (int c = 0; c < copies; c++) {
      long delay = baseLatency;
      if (!reliable) {
        delay += random.nextInt(28);
      }
      if (longReordering && !isRequest(m) && random.nextInt(900) < 600) {
        delay += 200 + random.nextInt(2001);
      }
      delays[c] = delay;
    }
    return delays;
  }

  Flight depart(Message m) {
    Flight flight = new Flight(m);
    inFlightFrom[m.from()].add(flight);
    return flight;
  }

  /** Takes the flight off the network; returns whether it may be delivered (it is not gone and can talk). */
  boolean arrive(Flight flight) {
    inFlightFrom[flight.message.from()].remove(flight);
    if (flight.gone || !canTalk(flight.message.from(), flight.message.to())) {
      flight.gone = true;
      return false;
    }
    if (isRequest(flight.message)) {
      rpcsReceived[flight.message.to()]++;
      requestBytes += MessageSize.of(flight.message);
    }
    return true;
  }

  /** Every message still on its way from {@code node}, removed from the network (a crash). */
  Flight[] takeAllFrom(int node) {
    Flight[] flights = inFlightFrom[node].toArray(new Flight[0]);
    inFlightFrom[node].clear();
    for (Flight flight : flights) {
      flight.gone = true;
    }
    return flights;
  }

  void setReliable(boolean reliable) {
    this.reliable = reliable;
  }

  boolean reliable() {
    return reliable;
  }

  void setLongReordering(boolean longReordering) {
    this.longReordering = longReordering;
  }

  void setDuplicateProbability(double p) {
    if (p < 0 || p >= 1) {
      throw new IllegalArgumentException("duplicate probability must be in [0, 1), was " + p);
    }
    this.duplicateProbability = p;
  }

  void setConnected(int node, boolean up) {
    connected[node] = up;
  }

  boolean connected(int node) {
    return connected[node];
  }

  /** Splits the nodes into groups; {@code groupOf[i-1]} is node i's group. */
  void setPartition(int[] groupOf) {
    if (groupOf.length != size) {
      throw new IllegalArgumentException("a partition must give a group for each of the " + size
          + " nodes, gave " + groupOf.length);
    }
    System.arraycopy(groupOf, 0, partition, 1, size);
  }

  void heal() {
    Arrays.fill(partition, 0);
    Arrays.fill(connected, true);
  }

  long rpcsReceived(int node) {
    return rpcsReceived[node];
  }

  long requestBytes() {
    return requestBytes;
  }

  long messagesSent() {
    return messagesSent;
  }
}
