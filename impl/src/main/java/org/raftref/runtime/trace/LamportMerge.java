package org.raftref.runtime.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.raftref.trace.NdjsonSink;

/**
 * Merges the per-incarnation traces of a trace directory ({@link TraceFiles}) into one trace, ordered by
 * the Lamport time of each event (ties broken by node id), and numbered afresh.
 *
 * <p>Why this order is causal: every event has a larger time than the events before it in its own
 * incarnation and in the node's earlier incarnations ({@link TraceOutput} starts a new incarnation's clock
 * above the old ones), and than the {@code Persist} that released any message it receives (the message
 * carries its sender's time and the receiver witnesses it first). So sorting by time never puts a receive
 * before its send, nor a node's event before its own earlier one. Events with equal times are of different
 * nodes and causally unrelated; their order does not matter to the spec.
 *
 * <p>First, the journals that killed servers left are converted ({@link JournalConverter#finishAll}). Traces
 * written before journals existed may come from a killed process, which leaves files of different lengths
 * (their buffers reached the disk at different moments) and perhaps a partial last line: the events that
 * both files hold whole are kept, and the result says which were left out. What cannot be a run's traces
 * (clocks that do not grow, headers of different clusters, lines that are not events) is refused with a
 * {@link TraceMergeException}.
 */
public final class LamportMerge {

  private static final JsonFactory JSON = new JsonFactoryBuilder()
      .rootValueSeparator("")
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      .build();

  /** What a merge did. */
  public record Result(int files, long events, List<String> notes) {}

  private record Event(long time, int node, int incarnation, int line, String json) {}

  private record Header(List<Integer> members, int maxEntriesPerAppend) {}

  private LamportMerge() {}

  /**
   * Merges every incarnation in {@code dir} into {@code out} (replaced).
   *
   * @throws TraceMergeException if the files do not form one run's traces
   */
  public static Result merge(Path dir, Path out) throws IOException, TraceMergeException {
    if (!Files.isDirectory(dir)) {
      throw new TraceMergeException(dir + ": not a directory");
    }
    List<String> notes = new ArrayList<>();
    int converted = JournalConverter.finishAll(dir);
    if (converted > 0) {
      notes.add("converted " + converted + " journal(s) that killed servers left into traces");
    }
    List<TraceFiles.Incarnation> incarnations = TraceFiles.list(dir);
    if (incarnations.isEmpty()) {
      throw new TraceMergeException(dir + ": no trace files (node-ID.K.ndjson or node-ID.K.journal) to merge");
    }
    List<Event> events = new ArrayList<>();
    Header header = null;
    String headerFile = "";
    for (TraceFiles.Incarnation inc : incarnations) {
      List<String> lines = TraceFiles.completeLines(inc.trace());
      if (lines.isEmpty()) {
        throw new TraceMergeException(inc.trace() + ": no header line");
      }
      Header h = readHeader(inc.trace(), lines.get(0));
      if (header == null) {
        header = h;
        headerFile = inc.trace().toString();
      } else if (!header.equals(h)) {
        throw new TraceMergeException(inc.trace() + ": its cluster " + h + " differs from " + header + " of "
            + headerFile);
      }
      List<String> clocks = Files.exists(inc.clock()) ? TraceFiles.completeLines(inc.clock()) : List.of();
      int traced = lines.size() - 1;
      int n = Math.min(traced, clocks.size());
      if (traced != clocks.size()) {
        // A killed process: the two files' buffers reached the disk at different moments. What is in both
        // is whole; every Persist that released a message is among it (the driver flushes both files
        // before a Ready's messages leave), so the events left out released nothing anyone received.
        notes.add(inc.trace().getFileName() + ": left out events " + (n + 1) + ".." + Math.max(traced, clocks.size())
            + ", which only one of " + inc.trace().getFileName() + " (" + traced + " events) and "
            + inc.clock().getFileName() + " (" + clocks.size() + " times) holds: the process was killed");
      }
      long previous = 0;
      for (TraceFiles.Incarnation earlier : incarnations) {
        if (earlier.node() == inc.node() && earlier.number() < inc.number()) {
          previous = Math.max(previous, lastTime(events, inc.node(), earlier.number()));
        }
      }
      for (int k = 0; k < n; k++) {
        long time = parseTime(inc.clock(), k + 1, clocks.get(k));
        if (time <= previous) {
          throw new TraceMergeException(inc.clock() + " line " + (k + 1) + ": Lamport time " + time
              + " does not grow (the node's previous event has time " + previous + ")");
        }
        previous = time;
        events.add(new Event(time, inc.node(), inc.number(), k + 2, lines.get(k + 1)));
      }
    }
    events.sort((a, b) -> a.time() != b.time() ? Long.compare(a.time(), b.time())
        : a.node() != b.node() ? Integer.compare(a.node(), b.node())
        : a.incarnation() != b.incarnation() ? Integer.compare(a.incarnation(), b.incarnation())
        : Integer.compare(a.line(), b.line()));
    if (header == null) {
      throw new IllegalStateException("no header read from " + incarnations); // incarnations is not empty
    }
    write(out, header, incarnations, events);
    return new Result(incarnations.size(), events.size(), notes);
  }

  private static long lastTime(List<Event> events, int node, int incarnation) {
    long last = 0;
    for (Event e : events) {
      if (e.node() == node && e.incarnation() == incarnation) {
        last = Math.max(last, e.time());
      }
    }
    return last;
  }

  private static long parseTime(Path file, int line, String text) throws TraceMergeException {
    try {
      long time = Long.parseLong(text);
      if (time > 0) {
        return time;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TraceMergeException(file + " line " + line + ": \"" + text + "\" is not a positive Lamport time");
  }

  private static Header readHeader(Path file, String line) throws IOException, TraceMergeException {
    List<Integer> members = new ArrayList<>();
    int maxEntries = -1;
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new TraceMergeException(file + " line 1: not a trace header");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("members".equals(field) && value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            members.add(p.getIntValue());
          }
        } else if ("maxEntriesPerAppend".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
          maxEntries = p.getIntValue();
        } else if ("format".equals(field) && !NdjsonSink.FORMAT.equals(p.getValueAsString())) {
          throw new TraceMergeException(file + " line 1: not a trace header: format is not " + NdjsonSink.FORMAT);
        } else {
          p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TraceMergeException(file + " line 1: malformed JSON: " + e.getOriginalMessage());
    }
    if (members.isEmpty() || maxEntries < 1) {
      throw new TraceMergeException(file + " line 1: a trace header names members and maxEntriesPerAppend");
    }
    return new Header(List.copyOf(members), maxEntries);
  }

  private static void write(Path out, Header header, List<TraceFiles.Incarnation> sources, List<Event> events)
      throws IOException, TraceMergeException {
    StringBuilder origin = new StringBuilder("merged by Lamport time from");
    for (TraceFiles.Incarnation inc : sources) {
      Path name = inc.trace().getFileName();
      origin.append(' ').append(name == null ? inc.trace() : name);
    }
    try (OutputStream stream = Files.newOutputStream(out);
        JsonGenerator json = JSON.createGenerator(stream, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeStringField("format", NdjsonSink.FORMAT);
      json.writeNumberField("schema", NdjsonSink.SCHEMA_VERSION);
      json.writeArrayFieldStart("members");
      for (int member : header.members()) {
        json.writeNumber(member);
      }
      json.writeEndArray();
      json.writeNumberField("maxEntriesPerAppend", header.maxEntriesPerAppend());
      json.writeStringField("origin", origin.toString());
      json.writeEndObject();
      json.writeRaw('\n');
      long seq = 0;
      for (Event e : events) {
        copyRenumbered(e, ++seq, json);
      }
    }
  }

  /** Writes {@code e}'s event with {@code seq} as its sequence number; every other field as it was. */
  private static void copyRenumbered(Event e, long seq, JsonGenerator json) throws IOException, TraceMergeException {
    String where = "node " + e.node() + " incarnation " + e.incarnation() + " line " + e.line();
    try (JsonParser p = JSON.createParser(e.json())) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
          || !"seq".equals(p.currentName())) {
        throw new TraceMergeException(where + ": an event starts with its \"seq\" field");
      }
      p.nextToken();
      json.writeStartObject();
      json.writeNumberField("seq", seq);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        json.copyCurrentStructure(p);
      }
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new TraceMergeException(where + ": malformed JSON: " + ex.getOriginalMessage());
    }
  }
}
