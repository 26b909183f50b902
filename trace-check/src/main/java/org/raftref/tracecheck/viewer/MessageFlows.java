package org.raftref.tracecheck.viewer;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every message copy of a trace with its send and its end ({@link NetworkReplay}), and the events the network
 * replay could not account for.
 *
 * @param flights in the order they were created; {@code flights.get(k).id() == k}
 * @param anomalies events that look at a message no copy of which is where the event needs it, in trace order
 */
public record MessageFlows(List<Flight> flights, List<Anomaly> anomalies) {

  public MessageFlows {
    flights = List.copyOf(flights);
    anomalies = List.copyOf(anomalies);
  }

  /**
   * An event the network replay could not account for. A trace the spec accepts has none; a trace with a bug
   * in it may, and the viewer marks them.
   *
   * @param eventIndex 1-based
   * @param text one sentence saying what is missing
   */
  public record Anomaly(int eventIndex, String text) {}

  /** How many copies ended each way. */
  public Map<Flight.Fate, Integer> countByFate() {
    Map<Flight.Fate, Integer> counts = new EnumMap<>(Flight.Fate.class);
    for (Flight.Fate fate : Flight.Fate.values()) {
      counts.put(fate, 0);
    }
    for (Flight f : flights) {
      counts.merge(f.fate(), 1, Integer::sum);
    }
    return counts;
  }

  /** How many copies the network made ({@code DuplicateMessage} events that found their message). */
  public long duplicates() {
    return flights.stream().filter(f -> f.duplicateOf() >= 0).count();
  }
}
