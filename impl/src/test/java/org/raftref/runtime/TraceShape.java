package org.raftref.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.raftref.trace.TraceAction;

/**
 * Checks that a merged trace is well formed (docs/trace-format.md) and causally ordered, without TLC:
 *
 * <ul>
 *   <li>the header, then events numbered 1, 2, 3, ...; each event has exactly the fields its action takes
 *       (the table "Which event carries what"), a known action, a member as its node;</li>
 *   <li>every message an event receives was put into the network before it: sent by a step of its sender and
 *       released by that sender's later {@code Persist}, or, for an AppendEntriesRequest, sent by its
 *       {@code AppendEntries} step (the rule TraceMerger merges by, docs/trace-format.md, "Order"), and not
 *       consumed already;</li>
 *   <li>each node's term never decreases along the trace (its events keep their order).</li>
 * </ul>
 */
final class TraceShape {

  /** What a checked trace contains. */
  record Summary(int events, Map<String, Integer> actions, Map<Integer, Integer> restarts) {}

  private static final Set<String> NODE_STEP_FIELDS = Set.of("seq", "node", "action", "state");
  private static final Map<String, Set<String>> EXTRA_FIELDS = Map.ofEntries(
      Map.entry("Timeout", Set.of()),
      Map.entry("UpdateTerm", Set.of("peer", "recv")),
      Map.entry("HandleRequestVoteRequest", Set.of("peer", "recv", "sent")),
      Map.entry("HandleRequestVoteResponse", Set.of("peer", "recv")),
      Map.entry("BecomeLeader", Set.of()),
      Map.entry("ClientRequest", Set.of("value")),
      Map.entry("AppendEntries", Set.of("peer", "sent")),
      Map.entry("HandleAppendEntriesRequest", Set.of("peer", "recv", "sent")),
      Map.entry("HandleAppendEntriesResponse", Set.of("peer", "recv")),
      Map.entry("AdvanceCommitIndex", Set.of()),
      Map.entry("Persist", Set.of()));

  private TraceShape() {}

  static Summary check(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new AssertionError(file + ": empty");
    }
    Map<String, Object> header = parse(file, 1, lines.get(0));
    expect(file, 1, "raftref-trace".equals(header.get("format")), "format is raftref-trace");
    expect(file, 1, Long.valueOf(1).equals(header.get("schema")), "schema is 1");
    List<Integer> members = new ArrayList<>();
    for (Object m : (List<?>) header.get("members")) {
      members.add(((Long) m).intValue());
    }
    Map<String, Integer> network = new HashMap<>();
    Map<Integer, List<String>> outbox = new TreeMap<>();
    Map<Integer, Long> terms = new TreeMap<>();
    Map<String, Integer> actions = new TreeMap<>();
    Map<Integer, Integer> restarts = new TreeMap<>();
    for (int i = 1; i < lines.size(); i++) {
      int line = i + 1;
      Map<String, Object> e = parse(file, line, lines.get(i));
      expect(file, line, Long.valueOf(i).equals(e.get("seq")), "seq is " + i);
      String action = String.valueOf(e.get("action"));
      expect(file, line, isAction(action), "action " + action + " is a TraceAction");
      actions.merge(action, 1, Integer::sum);
      if (action.equals("DropMessage") || action.equals("DuplicateMessage")) {
        throw new AssertionError(file + " line " + line + ": a real run's network takes no traced steps");
      }
      int node = ((Long) e.get("node")).intValue();
      expect(file, line, members.contains(node), "node " + node + " is a member");
      if (action.equals("Restart")) {
        expect(file, line, e.keySet().equals(Set.of("seq", "node", "action")), "Restart has seq, node, action");
        outbox.computeIfAbsent(node, n -> new ArrayList<>()).clear();
        restarts.merge(node, 1, Integer::sum);
        continue;
      }
      Set<String> fields = new java.util.HashSet<>(NODE_STEP_FIELDS);
      fields.addAll(EXTRA_FIELDS.get(action));
      expect(file, line, e.keySet().equals(fields), action + " has exactly the fields " + fields + ", has "
          + e.keySet());
      @SuppressWarnings("unchecked")
      Map<String, Object> state = (Map<String, Object>) e.get("state");
      long term = (Long) state.get("currentTerm");
      expect(file, line, term >= terms.getOrDefault(node, 0L), "node " + node + "'s term does not decrease");
      terms.put(node, term);
      Object recv = e.get("recv");
      if (recv != null) {
        String m = recv.toString();
        expect(file, line, network.getOrDefault(m, 0) > 0, action + " receives a message that no earlier Persist"
            + " of its sender released and no AppendEntries sent (or that was consumed already): " + m);
        if (!action.equals("UpdateTerm")) {
          network.merge(m, -1, Integer::sum);
        }
      }
      List<String> pending = outbox.computeIfAbsent(node, n -> new ArrayList<>());
      Object sent = e.get("sent");
      if (sent != null && action.equals("AppendEntries")) {
        network.merge(sent.toString(), 1, Integer::sum); // a leader's request skips the outbox (§10.2.1)
      } else if (sent != null) {
        pending.add(sent.toString());
      }
      if (action.equals("Timeout")) {
        List<?> log = (List<?>) state.get("log");
        long lastTerm = log.isEmpty() ? 0 : (Long) ((List<?>) log.get(log.size() - 1)).get(0);
        long lastIndex = log.isEmpty() ? 0 : (Long) ((List<?>) log.get(log.size() - 1)).get(1);
        for (int peer : members) {
          if (peer != node) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("type", "RequestVoteRequest");
            request.put("from", (long) node);
            request.put("to", (long) peer);
            request.put("term", term);
            request.put("lastLogTerm", lastTerm);
            request.put("lastLogIndex", lastIndex);
            pending.add(request.toString());
          }
        }
      } else if (action.equals("Persist")) {
        for (String m : pending) {
          network.merge(m, 1, Integer::sum);
        }
        pending.clear();
      }
    }
    return new Summary(lines.size() - 1, actions, restarts);
  }

  private static boolean isAction(String name) {
    for (TraceAction a : TraceAction.values()) {
      if (a.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static void expect(Path file, int line, boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(file + " line " + line + ": expected: " + what);
    }
  }

  /** One line as nested LinkedHashMaps (key order kept), Lists, Longs, Strings and Booleans. */
  private static Map<String, Object> parse(Path file, int line, String text) throws IOException {
    try (JsonParser p = new JsonFactory().createParser(text)) {
      Object value = read(p, p.nextToken());
      if (!(value instanceof Map<?, ?>) || p.nextToken() != null) {
        throw new AssertionError(file + " line " + line + ": not one JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) value;
      return map;
    }
  }

  private static Object read(JsonParser p, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          map.put(name, read(p, p.nextToken()));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
          list.add(read(p, t));
        }
        return list;
      }
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_STRING:
        return p.getText();
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
        return false;
      default:
        throw new IOException("unexpected JSON token " + token);
    }
  }
}
