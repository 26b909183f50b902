package org.raftref.tracecheck.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.tracecheck.trace.LogRun;
import org.raftref.tracecheck.trace.NodeState;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TracedEntry;
import org.raftref.tracecheck.trace.TracedMessage;

/**
 * The JSON the page's script reads: the trace's events (each written back in the field order of
 * {@code docs/trace-format.md}, so the side panel shows an event as its file has it), the message copies of
 * {@link NetworkReplay}, the anomalies and the failure.
 *
 * <p>The JSON is embedded in a {@code <script type="application/json">} element, so the text of the trace
 * (the free-text {@code origin}, file names, a mismatch text) must not be able to end that element or start
 * markup: {@link #forScriptElement} writes every {@code <}, {@code >} and {@code &} (and the line separators
 * U+2028, U+2029) as a JSON {@code \\u} escape. Outside strings JSON has none of these characters, so the
 * escaped text is the same JSON value.
 */
final class PageData {

  private static final JsonFactory JSON = new JsonFactory();

  private PageData() {}

  /** The page's data as JSON text, safe to place between {@code <script type="application/json">} tags. */
  static String json(Trace trace, MessageFlows flows, @Nullable Failure failure) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("name", trace.name());
      g.writeStringField("origin", trace.header().origin());
      g.writeArrayFieldStart("members");
      for (int member : trace.header().members()) {
        g.writeNumber(member);
      }
      g.writeEndArray();
      g.writeNumberField("maxEntriesPerAppend", trace.header().maxEntriesPerAppend());
      writeFiles(g, trace);
      writeEvents(g, trace.events());
      writeFlights(g, flows.flights());
      g.writeArrayFieldStart("anomalies");
      for (MessageFlows.Anomaly a : flows.anomalies()) {
        g.writeStartObject();
        g.writeNumberField("index", a.eventIndex());
        g.writeStringField("text", a.text());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeFieldName("failure");
      if (failure == null) {
        g.writeNull();
      } else {
        g.writeStartObject();
        g.writeNumberField("index", failure.eventIndex());
        g.writeStringField("text", failure.mismatch());
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return forScriptElement(text.toString());
  }

  /** {@code json} with the characters that could end a script element or confuse an HTML parser escaped. */
  static String forScriptElement(String json) {
    StringBuilder out = new StringBuilder(json.length() + 64);
    for (int k = 0; k < json.length(); k++) {
      char c = json.charAt(k);
      switch (c) {
        case '<' -> out.append("\\u003c");
        case '>' -> out.append("\\u003e");
        case '&' -> out.append("\\u0026");
        case '\u2028' -> out.append("\\u2028");
        case '\u2029' -> out.append("\\u2029");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** The files in order, and for each event the file (by position) and line it came from. */
  private static void writeFiles(JsonGenerator g, Trace trace) throws IOException {
    List<Path> files = trace.files();
    g.writeArrayFieldStart("files");
    for (Path file : files) {
      g.writeString(file.toString());
    }
    g.writeEndArray();
    g.writeArrayFieldStart("eventFile");
    for (TraceEvent e : trace.events()) {
      g.writeNumber(Math.max(0, files.indexOf(e.file())));
    }
    g.writeEndArray();
    g.writeArrayFieldStart("eventLine");
    for (TraceEvent e : trace.events()) {
      g.writeNumber(e.line());
    }
    g.writeEndArray();
  }

  private static void writeEvents(JsonGenerator g, List<TraceEvent> events) throws IOException {
    g.writeArrayFieldStart("events");
    for (TraceEvent e : events) {
      writeEvent(g, e);
    }
    g.writeEndArray();
  }

  /** One event as docs/trace-format.md writes it: the same keys in the same order. */
  static void writeEvent(JsonGenerator g, TraceEvent e) throws IOException {
    g.writeStartObject();
    g.writeNumberField("seq", e.seq());
    if (e.node() != 0) {
      g.writeNumberField("node", e.node());
    }
    g.writeStringField("action", e.action().name());
    if (e.peer() != 0) {
      g.writeNumberField("peer", e.peer());
    }
    String value = e.value();
    if (value != null) {
      g.writeStringField("value", value);
    }
    writeMessageField(g, "recv", e.received());
    writeMessageField(g, "sent", e.sent());
    writeMessageField(g, "msg", e.message());
    NodeState state = e.state();
    if (state != null) {
      g.writeFieldName("state");
      writeState(g, state);
    }
    g.writeEndObject();
  }

  private static void writeMessageField(JsonGenerator g, String name, @Nullable TracedMessage m)
      throws IOException {
    if (m != null) {
      g.writeFieldName(name);
      writeMessage(g, m);
    }
  }

  static void writeMessage(JsonGenerator g, TracedMessage m) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", m.type());
    g.writeNumberField("from", m.from());
    g.writeNumberField("to", m.to());
    g.writeNumberField("term", m.term());
    if (m instanceof TracedMessage.RequestVoteRequest r) {
      g.writeNumberField("lastLogTerm", r.lastLogTerm());
      g.writeNumberField("lastLogIndex", r.lastLogIndex());
    } else if (m instanceof TracedMessage.RequestVoteResponse r) {
      g.writeBooleanField("voteGranted", r.voteGranted());
    } else if (m instanceof TracedMessage.AppendEntriesRequest r) {
      g.writeNumberField("prevLogIndex", r.prevLogIndex());
      g.writeNumberField("prevLogTerm", r.prevLogTerm());
      g.writeArrayFieldStart("entries");
      for (TracedEntry entry : r.entries()) {
        g.writeStartArray();
        g.writeNumber(entry.term());
        g.writeString(entry.value());
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeNumberField("leaderCommit", r.leaderCommit());
    } else if (m instanceof TracedMessage.AppendEntriesResponse r) {
      g.writeBooleanField("success", r.success());
      g.writeNumberField("matchIndex", r.matchIndex());
      g.writeNumberField("conflictTerm", r.conflictTerm());
      g.writeNumberField("conflictIndex", r.conflictIndex());
    }
    g.writeEndObject();
  }

  private static void writeState(JsonGenerator g, NodeState s) throws IOException {
    g.writeStartObject();
    g.writeNumberField("currentTerm", s.currentTerm());
    g.writeNumberField("votedFor", s.votedFor());
    g.writeStringField("role", s.role());
    g.writeNumberField("commitIndex", s.commitIndex());
    g.writeArrayFieldStart("log");
    for (LogRun run : s.log()) {
      g.writeStartArray();
      g.writeNumber(run.term());
      g.writeNumber(run.lastIndex());
      g.writeEndArray();
    }
    g.writeEndArray();
    if (s.role().equals("Leader")) {
      writePerPeer(g, "nextIndex", s.nextIndex());
      writePerPeer(g, "matchIndex", s.matchIndex());
    } else if (s.role().equals("Candidate")) {
      g.writeArrayFieldStart("votes");
      for (int id : s.votes()) {
        g.writeNumber(id);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void writePerPeer(JsonGenerator g, String name, Map<Integer, Integer> perPeer)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<Integer, Integer> e : perPeer.entrySet()) {
      g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
    }
    g.writeEndObject();
  }

  /**
   * Each copy as an object with short keys (a trace of thousands of events has thousands of them):
   * {@code m} message, {@code c} createdAt, {@code s} sentAt, {@code d} duplicateOf, {@code f} fate,
   * {@code e} endAt, {@code l} lookedAt.
   */
  private static void writeFlights(JsonGenerator g, List<Flight> flights) throws IOException {
    g.writeArrayFieldStart("flights");
    for (Flight f : flights) {
      g.writeStartObject();
      g.writeFieldName("m");
      writeMessage(g, f.message());
      g.writeNumberField("c", f.createdAt());
      g.writeNumberField("s", f.sentAt());
      g.writeNumberField("d", f.duplicateOf());
      g.writeStringField("f", f.fate().label());
      g.writeNumberField("e", f.endAt());
      g.writeNumberField("l", f.lookedAt());
      g.writeEndObject();
    }
    g.writeEndArray();
  }
}
