package org.raftref.tracecheck.validate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.raftref.tracecheck.trace.LogRun;
import org.raftref.tracecheck.trace.NodeState;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TracedEntry;
import org.raftref.tracecheck.trace.TracedMessage;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * A trace as TLC values: the sequence of event records that {@code TraceEvents} of spec/TraceData.tla stands
 * for. Messages get the shape of Raft.tla's message records (fields {@code mtype}, {@code mterm}, ...), so
 * that the trace spec hands them to Raft's actions as they are.
 */
final class TlaValues {

  private TlaValues() {}

  /** The sequence of all events of {@code trace}. */
  static Value events(Trace trace) {
    List<TraceEvent> events = trace.events();
    Value[] values = new Value[events.size()];
    for (int k = 0; k < values.length; k++) {
      values[k] = event(events.get(k));
    }
    return new TupleValue(values);
  }

  static Value event(TraceEvent e) {
    Record r = new Record(8);
    r.put("action", new StringValue(e.action().name()));
    if (e.node() != 0) {
      r.put("node", IntValue.gen(e.node()));
    }
    if (e.peer() != 0) {
      r.put("peer", IntValue.gen(e.peer()));
    }
    if (e.value() != null) {
      r.put("value", new StringValue(e.value()));
    }
    if (e.received() != null) {
      r.put("recv", message(e.received()));
    }
    if (e.sent() != null) {
      r.put("sent", message(e.sent()));
    }
    if (e.message() != null) {
      r.put("msg", message(e.message()));
    }
    if (e.state() != null) {
      r.put("state", state(e.state()));
    }
    return r.value();
  }

  static Value message(TracedMessage m) {
    Record r = new Record(8);
    r.put("mtype", new StringValue(m.type()));
    r.put("mterm", IntValue.gen(m.term()));
    r.put("msource", IntValue.gen(m.from()));
    r.put("mdest", IntValue.gen(m.to()));
    if (m instanceof TracedMessage.RequestVoteRequest v) {
      r.put("mlastLogTerm", IntValue.gen(v.lastLogTerm()));
      r.put("mlastLogIndex", IntValue.gen(v.lastLogIndex()));
    } else if (m instanceof TracedMessage.RequestVoteResponse v) {
      r.put("mvoteGranted", bool(v.voteGranted()));
    } else if (m instanceof TracedMessage.AppendEntriesRequest a) {
      r.put("mprevLogIndex", IntValue.gen(a.prevLogIndex()));
      r.put("mprevLogTerm", IntValue.gen(a.prevLogTerm()));
      r.put("mentries", entries(a.entries()));
      r.put("mcommitIndex", IntValue.gen(a.leaderCommit()));
    } else if (m instanceof TracedMessage.AppendEntriesResponse a) {
      r.put("msuccess", bool(a.success()));
      r.put("mmatchIndex", IntValue.gen(a.matchIndex()));
      r.put("mconflictTerm", IntValue.gen(a.conflictTerm()));
      r.put("mconflictIndex", IntValue.gen(a.conflictIndex()));
    }
    return r.value();
  }

  private static Value entries(List<TracedEntry> entries) {
    Value[] values = new Value[entries.size()];
    for (int k = 0; k < values.length; k++) {
      Record entry = new Record(2);
      entry.put("term", IntValue.gen(entries.get(k).term()));
      entry.put("value", new StringValue(entries.get(k).value()));
      values[k] = entry.value();
    }
    return new TupleValue(values);
  }

  static Value state(NodeState s) {
    Record r = new Record(8);
    r.put("currentTerm", IntValue.gen(s.currentTerm()));
    r.put("votedFor", IntValue.gen(s.votedFor()));
    r.put("role", new StringValue(s.role()));
    r.put("commitIndex", IntValue.gen(s.commitIndex()));
    Value[] runs = new Value[s.log().size()];
    for (int k = 0; k < runs.length; k++) {
      LogRun run = s.log().get(k);
      runs[k] = new TupleValue(IntValue.gen(run.term()), IntValue.gen(run.lastIndex()));
    }
    r.put("log", new TupleValue(runs));
    if (s.role().equals("Leader")) {
      r.put("nextIndex", perPeer(s.nextIndex()));
      r.put("matchIndex", perPeer(s.matchIndex()));
    } else if (s.role().equals("Candidate")) {
      r.put("votes", set(s.votes()));
    }
    return r.value();
  }

  /** A function from the peers (ascending, as TLC normalizes) to their values. */
  private static Value perPeer(Map<Integer, Integer> byPeer) {
    Value[] domain = new Value[byPeer.size()];
    Value[] range = new Value[byPeer.size()];
    int k = 0;
    for (Map.Entry<Integer, Integer> entry : byPeer.entrySet()) {
      domain[k] = IntValue.gen(entry.getKey());
      range[k] = IntValue.gen(entry.getValue());
      k++;
    }
    return new FcnRcdValue(domain, range, true);
  }

  private static Value set(Set<Integer> ids) {
    Value[] elements = ids.stream().map(IntValue::gen).toArray(Value[]::new);
    return new SetEnumValue(elements, false).normalize();
  }

  private static Value bool(boolean b) {
    return b ? BoolValue.ValTrue : BoolValue.ValFalse;
  }

  /**
   * The field names as TLC's interned strings, looked up once each: interning takes a lock and a table
   * lookup, and a long trace names the same few fields millions of times. Used by the one thread that reads
   * the trace; a ConcurrentHashMap all the same, since TLC owns the thread.
   */
  private static final Map<String, UniqueString> FIELD_NAMES = new java.util.concurrent.ConcurrentHashMap<>();

  /** Collects the fields of one record; TLC compares records only once they are normalized. */
  private static final class Record {
    private final UniqueString[] names;
    private final Value[] values;
    private int size;

    Record(int capacity) {
      names = new UniqueString[capacity];
      values = new Value[capacity];
    }

    void put(String name, Value value) {
      names[size] = FIELD_NAMES.computeIfAbsent(name, UniqueString::uniqueStringOf);
      values[size] = value;
      size++;
    }

    Value value() {
      return new RecordValue(java.util.Arrays.copyOf(names, size), java.util.Arrays.copyOf(values, size), false)
          .normalize();
    }
  }
}
