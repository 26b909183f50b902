package org.raftref.tracecheck.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceHeader;

/**
 * Reads a trace file of {@code docs/trace-format.md} into a {@link Trace}, strictly: every field the format
 * requires must be there with the right type and range, and no other field may be. The first problem found
 * ends the read with a {@link TraceInputException} whose one-line message names the file, the line and the
 * field.
 *
 * <p>This checks the format only. Whether the steps are ones Raft may take is the spec's question
 * ({@code spec/TraceRaft.tla}).
 */
public final class TraceReader {

  /** The schema this reader reads: the one {@link NdjsonSink} writes. */
  public static final int SCHEMA_VERSION = NdjsonSink.SCHEMA_VERSION;

  private static final Set<String> HEADER_FIELDS =
      Set.of("format", "schema", "members", "maxEntriesPerAppend", "origin");
  private static final Pattern DIGEST = Pattern.compile("|[0-9a-f]{16}");
  private static final Set<String> ROLES = Set.of("Follower", "Candidate", "Leader");

  /** Every field each action's event has (all are required): the table of docs/trace-format.md. */
  private static final Map<TraceAction, Set<String>> EVENT_FIELDS = new EnumMap<>(TraceAction.class);

  static {
    Set<String> plain = Set.of("seq", "node", "action", "state");
    Set<String> looks = Set.of("seq", "node", "action", "peer", "recv", "state");
    Set<String> replies = Set.of("seq", "node", "action", "peer", "recv", "sent", "state");
    Set<String> network = Set.of("seq", "action", "msg");
    for (TraceAction a : List.of(TraceAction.Timeout, TraceAction.BecomeLeader, TraceAction.AdvanceCommitIndex,
        TraceAction.Persist)) {
      EVENT_FIELDS.put(a, plain);
    }
    for (TraceAction a : List.of(TraceAction.UpdateTerm, TraceAction.HandleRequestVoteResponse,
        TraceAction.HandleAppendEntriesResponse)) {
      EVENT_FIELDS.put(a, looks);
    }
    EVENT_FIELDS.put(TraceAction.HandleRequestVoteRequest, replies);
    EVENT_FIELDS.put(TraceAction.HandleAppendEntriesRequest, replies);
    EVENT_FIELDS.put(TraceAction.AppendEntries, Set.of("seq", "node", "action", "peer", "sent", "state"));
    EVENT_FIELDS.put(TraceAction.ClientRequest, Set.of("seq", "node", "action", "value", "state"));
    EVENT_FIELDS.put(TraceAction.Restart, Set.of("seq", "node", "action"));
    EVENT_FIELDS.put(TraceAction.DropMessage, network);
    EVENT_FIELDS.put(TraceAction.DuplicateMessage, network);
    if (EVENT_FIELDS.size() != TraceAction.values().length) {
      throw new AssertionError("every TraceAction needs its fields here");
    }
  }

  private final Path file;
  private @Nullable TraceHeader header;
  private Set<Integer> members = Set.of();
  private final List<TraceEvent> events = new ArrayList<>();

  private TraceReader(Path file) {
    this.file = file;
  }

  /**
   * Reads the trace in {@code file}.
   *
   * @throws TraceInputException if the file cannot be read or is not a trace of schema
   *     {@value #SCHEMA_VERSION} with at least one event
   */
  public static Trace read(Path file) throws TraceInputException {
    return new TraceReader(file).readAll();
  }

  private Trace readAll() throws TraceInputException {
    int lineNumber = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        String where = file + " line " + lineNumber;
        if (line.isBlank()) {
          throw new TraceInputException(where + ": blank line; every line of a trace is one JSON object");
        }
        Map<String, Object> object = JsonLine.parseObject(line, where);
        if (lineNumber == 1) {
          readHeader(object, where);
        } else {
          events.add(readEvent(object, where, lineNumber));
        }
      }
    } catch (NoSuchFileException e) {
      throw new TraceInputException(file + ": cannot read: no such file", e);
    } catch (AccessDeniedException e) {
      throw new TraceInputException(file + ": cannot read: permission denied", e);
    } catch (CharacterCodingException e) {
      // The decoder reads ahead by blocks, so the line it failed in is not known here.
      throw new TraceInputException(file + ": cannot read: not UTF-8 text", e);
    } catch (IOException e) {
      throw new TraceInputException(file + ": cannot read: " + e.getMessage(), e);
    }
    TraceHeader h = header;
    if (h == null) {
      throw new TraceInputException(file + ": empty trace: no header line");
    }
    if (events.isEmpty()) {
      throw new TraceInputException(file + ": empty trace: a header but no events");
    }
    return new Trace(List.of(file), h, events);
  }

  private void readHeader(Map<String, Object> object, String where) throws TraceInputException {
    FieldReader fields = FieldReader.of(object, where, "the header");
    if (!fields.has("format") || !NdjsonSink.FORMAT.equals(object.get("format"))) {
      throw fields.error("not a trace header: \"format\" must be \"" + NdjsonSink.FORMAT + "\"");
    }
    int schema = fields.integer("schema", 0);
    if (schema != SCHEMA_VERSION) {
      throw fields.error("schema version " + schema + " is not supported; this reader reads schema "
          + SCHEMA_VERSION);
    }
    List<Object> memberList = fields.array("members");
    TreeSet<Integer> ids = new TreeSet<>();
    for (int k = 0; k < memberList.size(); k++) {
      if (!ids.add(fields.toInt(memberList.get(k), "members[" + k + "]", 1))) {
        throw fields.error("field \"members\" names node " + memberList.get(k) + " twice");
      }
    }
    if (ids.isEmpty()) {
      throw fields.error("field \"members\" must name at least one node");
    }
    int maxEntries = fields.integer("maxEntriesPerAppend", 1);
    String origin = fields.string("origin");
    fields.allowOnly(HEADER_FIELDS);
    members = ids;
    header = new TraceHeader(List.copyOf(ids), maxEntries, origin);
  }

  private TraceEvent readEvent(Map<String, Object> object, String where, int line) throws TraceInputException {
    FieldReader fields = FieldReader.of(object, where, "the event");
    String actionName = fields.string("action");
    TraceAction action;
    try {
      action = TraceAction.valueOf(actionName);
    } catch (IllegalArgumentException e) {
      throw fields.error("unknown action \"" + actionName + "\"; the actions are "
          + String.join(", ", Arrays.stream(TraceAction.values()).map(Enum::name).toList()));
    }
    fields = FieldReader.of(object, where, action + " event");
    int seq = fields.integer("seq", 1);
    if (seq != events.size() + 1) {
      throw fields.error("field \"seq\" is " + seq + ", expected " + (events.size() + 1)
          + ": events are numbered 1, 2, 3, ... in line order");
    }
    Set<String> expected = EVENT_FIELDS.get(action);
    for (String name : List.of("node", "peer", "value", "recv", "sent", "msg", "state")) {
      if (expected.contains(name)) {
        fields.value(name); // "lacks field" if absent
      }
    }
    fields.allowOnly(expected);
    int node = expected.contains("node") ? fields.member("node", members) : 0;
    int peer = expected.contains("peer") ? fields.member("peer", members) : 0;
    String value = expected.contains("value") ? digest(fields, fields.string("value"), "value") : null;
    TracedMessage received = expected.contains("recv") ? message(fields.object("recv")) : null;
    TracedMessage sent = expected.contains("sent") ? message(fields.object("sent")) : null;
    TracedMessage message = expected.contains("msg") ? message(fields.object("msg")) : null;
    NodeState state = expected.contains("state") ? state(fields.object("state"), node) : null;
    return new TraceEvent(file, line, seq, action, node, peer, value, received, sent, message, state);
  }

  private static String digest(FieldReader fields, String value, String path) throws TraceInputException {
    if (!DIGEST.matcher(value).matches()) {
      throw fields.error("field \"" + path + "\" must be \"\" or 16 lowercase hex digits (a command's digest),"
          + " was \"" + value + "\"");
    }
    return value;
  }

  private TracedMessage message(FieldReader m) throws TraceInputException {
    String type = m.string("type");
    int from = m.member("from", members);
    int to = m.member("to", members);
    int term = m.integer("term", 0);
    switch (type) {
      case "RequestVoteRequest":
        m.allowOnly(Set.of("type", "from", "to", "term", "lastLogTerm", "lastLogIndex"));
        return new TracedMessage.RequestVoteRequest(from, to, term, m.integer("lastLogTerm", 0),
            m.integer("lastLogIndex", 0));
      case "RequestVoteResponse":
        m.allowOnly(Set.of("type", "from", "to", "term", "voteGranted"));
        return new TracedMessage.RequestVoteResponse(from, to, term, m.bool("voteGranted"));
      case "AppendEntriesRequest":
        m.allowOnly(Set.of("type", "from", "to", "term", "prevLogIndex", "prevLogTerm", "entries",
            "leaderCommit"));
        return new TracedMessage.AppendEntriesRequest(from, to, term, m.integer("prevLogIndex", 0),
            m.integer("prevLogTerm", 0), entries(m), m.integer("leaderCommit", 0));
      case "AppendEntriesResponse":
        m.allowOnly(Set.of("type", "from", "to", "term", "success", "matchIndex", "conflictTerm",
            "conflictIndex"));
        return new TracedMessage.AppendEntriesResponse(from, to, term, m.bool("success"),
            m.integer("matchIndex", 0), m.integer("conflictTerm", 0), m.integer("conflictIndex", 0));
      default:
        throw m.error("field \"" + m.pathOf("type") + "\" is \"" + type + "\", which is not a message type;"
            + " the types are RequestVoteRequest, RequestVoteResponse, AppendEntriesRequest,"
            + " AppendEntriesResponse");
    }
  }

  private static List<TracedEntry> entries(FieldReader m) throws TraceInputException {
    List<Object> raw = m.array("entries");
    List<TracedEntry> entries = new ArrayList<>(raw.size());
    for (int k = 0; k < raw.size(); k++) {
      String path = m.pathOf("entries") + "[" + k + "]";
      List<Object> pair = pair(m, raw.get(k), path, "[term, value]");
      int term = m.toInt(pair.get(0), path + "[0]", 0);
      if (!(pair.get(1) instanceof String value)) {
        throw m.wrongType(path + "[1]", "a string", pair.get(1));
      }
      entries.add(new TracedEntry(term, digest(m, value, path + "[1]")));
    }
    return entries;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> pair(FieldReader fields, Object value, String path, String shape)
      throws TraceInputException {
    if (!(value instanceof List) || ((List<Object>) value).size() != 2) {
      throw fields.error("field \"" + path + "\" must be a pair " + shape + ", was " + JsonLine.kindOf(value)
          + (value instanceof List ? " of " + ((List<Object>) value).size() : ""));
    }
    return (List<Object>) value;
  }

  private NodeState state(FieldReader s, int node) throws TraceInputException {
    int currentTerm = s.integer("currentTerm", 0);
    int votedFor = s.integer("votedFor", 0);
    if (votedFor != 0 && !members.contains(votedFor)) {
      throw s.error("field \"" + s.pathOf("votedFor") + "\" is node " + votedFor
          + ", which is not one of the members " + members + " (0 is no vote)");
    }
    String role = s.string("role");
    if (!ROLES.contains(role)) {
      throw s.error("field \"" + s.pathOf("role") + "\" must be \"Follower\", \"Candidate\" or \"Leader\", was \""
          + role + "\"");
    }
    int commitIndex = s.integer("commitIndex", 0);
    List<LogRun> log = logRuns(s);
    SortedMap<Integer, Integer> nextIndex = new TreeMap<>();
    SortedMap<Integer, Integer> matchIndex = new TreeMap<>();
    SortedSet<Integer> votes = new TreeSet<>();
    Set<String> allowed = new TreeSet<>(Set.of("currentTerm", "votedFor", "role", "commitIndex", "log"));
    if (role.equals("Leader")) {
      allowed.addAll(Set.of("nextIndex", "matchIndex"));
      perPeer(s.object("nextIndex"), node, nextIndex);
      perPeer(s.object("matchIndex"), node, matchIndex);
    } else if (role.equals("Candidate")) {
      allowed.add("votes");
      List<Object> raw = s.array("votes");
      for (int k = 0; k < raw.size(); k++) {
        int id = s.toInt(raw.get(k), s.pathOf("votes") + "[" + k + "]", 1);
        if (!members.contains(id) || !votes.add(id)) {
          throw s.error("field \"" + s.pathOf("votes") + "\" must list distinct members of " + members
              + ", has " + raw);
        }
      }
    }
    s.allowOnly(allowed);
    return new NodeState(currentTerm, votedFor, role, commitIndex, log, nextIndex, matchIndex, votes);
  }

  private static List<LogRun> logRuns(FieldReader s) throws TraceInputException {
    List<Object> raw = s.array("log");
    List<LogRun> runs = new ArrayList<>(raw.size());
    int previousEnd = 0;
    for (int k = 0; k < raw.size(); k++) {
      String path = s.pathOf("log") + "[" + k + "]";
      List<Object> pair = pair(s, raw.get(k), path, "[term, lastIndex]");
      int term = s.toInt(pair.get(0), path + "[0]", 0);
      int lastIndex = s.toInt(pair.get(1), path + "[1]", previousEnd + 1);
      runs.add(new LogRun(term, lastIndex));
      previousEnd = lastIndex;
    }
    return runs;
  }

  /** Reads {@code {"2": 5, "3": 4}} into {@code into}: exactly one key per member other than {@code node}. */
  private void perPeer(FieldReader map, int node, SortedMap<Integer, Integer> into) throws TraceInputException {
    for (String key : map.names()) {
      int peer;
      try {
        peer = Integer.parseInt(key);
      } catch (NumberFormatException e) {
        peer = 0;
      }
      if (peer == node || !members.contains(peer) || !key.equals(Integer.toString(peer))) {
        throw map.error("field \"" + map.pathOf(key) + "\": keys must be the peers of node " + node
            + " among members " + members);
      }
      into.put(peer, map.integer(key, 0));
    }
    for (int peer : members) {
      if (peer != node && !into.containsKey(peer)) {
        map.value(Integer.toString(peer)); // throws "lacks field"
      }
    }
  }
}
