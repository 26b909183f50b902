package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.sim.FaultMix;
import org.raftref.sim.FaultSchedule;
import org.raftref.sim.RandomSchedules;
import org.raftref.sim.ScheduledRun;
import org.raftref.sim.SimParams;

/**
 * {@link NdjsonSink} writes JSON by hand; Jackson, an independent JSON implementation, checks it: every line
 * parses, and writing the parsed tokens back with Jackson's generator gives the same line, byte for byte (so no
 * stray spaces, the same number forms, the same key order). Strings that need escaping read back unchanged.
 */
class NdjsonSinkEncodingTest {

  private static final JsonFactory JSON = new JsonFactory();

  private static String rewrittenByJackson(String line) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonParser parser = JSON.createParser(line); JsonGenerator generator = JSON.createGenerator(out)) {
      parser.nextToken();
      generator.copyCurrentStructure(parser);
      assertEquals(null, parser.nextToken(), "one JSON value per line: " + line);
    }
    return out.toString();
  }

  @Test
  void everyLineIsTheCompactJsonJacksonWouldWrite() throws IOException {
    for (long seed = 5; seed <= 7; seed++) {
      FaultSchedule schedule = RandomSchedules.generate(seed, 5, 20_000, FaultMix.ALL).schedule();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (NdjsonSink sink = new NdjsonSink(bytes, "memory", new TraceHeader(List.of(1, 2, 3, 4, 5),
          SimParams.DEFAULTS.maxEntriesPerAppend(), "NdjsonSinkEncodingTest seed " + seed))) {
        ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, sink);
      }
      String trace = bytes.toString(StandardCharsets.US_ASCII);
      assertTrue(trace.endsWith("\n"));
      String[] lines = trace.split("\n");
      assertTrue(lines.length > 1_000, "seed " + seed + ": too few lines, " + lines.length);
      for (int k = 0; k < lines.length; k++) {
        assertEquals(lines[k], rewrittenByJackson(lines[k]), "seed " + seed + ", line " + (k + 1));
      }
    }
  }

  @Test
  void stringsThatNeedEscapingReadBackUnchanged() throws IOException {
    String origin = "a \"quoted\" back\\slash, tab\t, newline\n, bell\u0007, e-acute \u00e9, snowman \u2603";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (NdjsonSink sink = new NdjsonSink(bytes, "memory", new TraceHeader(List.of(1, 2), 1, origin))) {
      sink.environmentStep(TraceAction.Restart, 1, null);
    }
    String trace = bytes.toString(StandardCharsets.ISO_8859_1);
    assertTrue(trace.chars().allMatch(c -> c < 0x80), "the output is ASCII: " + trace);
    String header = trace.substring(0, trace.indexOf('\n'));
    assertTrue(header.contains("bell\\u0007"), header);
    try (JsonParser parser = JSON.createParser(header)) {
      String read = null;
      while (parser.nextToken() != null) {
        if (parser.currentToken() == JsonToken.FIELD_NAME && parser.currentName().equals("origin")) {
          parser.nextToken();
          read = parser.getText();
        }
      }
      assertEquals(origin, read);
    }
  }
}
