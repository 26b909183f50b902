package org.raftref.tracecheck.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.tracecheck.trace.TestTraces;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceReader;
import org.raftref.tracecheck.validate.Outcome;

/** The generated page: its data, the failure it highlights, and that no trace text becomes markup or script. */
class TraceViewerTest {

  /** Tries to end the data element, open a comment, run a script and add an element, in several spellings. */
  static final String HOSTILE = "</script><script>document.documentElement.setAttribute('data-pwned','yes')</script>"
      + "<!-- </SCRIPT ><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','yes')\">"
      + " & &amp; \u2028 \u2029 \" ' \\ ${x} {{DATA}} {{JS}}";

  private static final Pattern DATA = Pattern.compile(
      "<script type=\"application/json\" id=\"trace-data\">(.*?)</script>", Pattern.DOTALL);
  private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  @TempDir
  Path dir;

  @Test
  void eachEventIsEmbeddedExactlyAsItsLineReadsInTheFile() throws Exception {
    Path file = TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS);
    assertEventsRoundTrip(file);
    assertEventsRoundTrip(ViewerTraces.simulatorTrace(dir, "sim.ndjson", 5, 5, 2_000));
  }

  private static void assertEventsRoundTrip(Path file) throws TraceInputException, IOException {
    Trace trace = TraceReader.read(file);
    List<String> lines = TestTraces.lines(file);
    for (TraceEvent e : trace.events()) {
      StringWriter text = new StringWriter();
      try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
        PageData.writeEvent(g, e);
      }
      assertEquals(lines.get(e.line() - 1), text.toString(), e.where());
    }
  }

  @Test
  void hostileTextInTheTraceStaysTextInsideTheDataElement() throws Exception {
    List<String> lines = new ArrayList<>(TestTraces.lines(
        TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS)));
    lines.set(0, lines.get(0).replaceFirst("\"origin\":\"[^\"]*\"",
        Matcher.quoteReplacement("\"origin\":" + jsonString(HOSTILE))));
    // A file name can carry markup too.
    Path file = TestTraces.writeLines(dir.resolve("<img src=x onerror=alert(1)>&.ndjson"), lines);
    Trace trace = TraceReader.read(file);
    assertEquals(HOSTILE, trace.header().origin());

    String html = TraceViewer.html(trace, Optional.of(new Failure(5, HOSTILE)));

    // Exactly two script elements, the data and the viewer's own; the data holds no '<' at all.
    assertEquals(2, count(html.toLowerCase(Locale.ROOT), "<script"), "script elements");
    Matcher data = DATA.matcher(html);
    assertTrue(data.find());
    String json = data.group(1);
    assertFalse(json.contains("<") || json.contains(">") || json.contains("&") || json.contains("\u2028"), json);
    // ... and is still the same JSON: the strings read back exactly.
    assertEquals(List.of(HOSTILE, file.toString(), HOSTILE), strings(json, "origin", "name", "text"));
    assertFalse(html.contains("data-pwned','yes')\">"), "the img element did not survive as markup");
  }

  @Test
  void thePageLoadsNothingAndRunsOnlyItsOwnScript() throws Exception {
    Trace trace = TraceReader.read(TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS));
    String html = TraceViewer.html(trace, Optional.empty());
    Matcher script = SCRIPT.matcher(html);
    assertTrue(script.find());
    String csp = "default-src 'none'; script-src '" + PageTemplate.sha256(script.group(1)) + "'";
    assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + csp), html.substring(0, 400));
    for (String external : List.of("http:", "https:", "<link", " src=", "@import", "url(")) {
      assertFalse(html.toLowerCase(Locale.ROOT).contains(external), "page refers to something outside: " + external);
    }
  }

  @Test
  void theFailureIsInTheDataAndMustNameAnEventOfTheTrace() throws Exception {
    Trace trace = TraceReader.read(TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS));
    int events = trace.events().size();
    String html = TraceViewer.html(trace, Optional.of(new Failure(events, "field state.commitIndex: expected 1")));
    Matcher data = DATA.matcher(html);
    assertTrue(data.find());
    assertTrue(data.group(1).endsWith(",\"failure\":{\"index\":" + events
        + ",\"text\":\"field state.commitIndex: expected 1\"}}"), data.group(1));
    assertTrue(TraceViewer.html(trace, Optional.empty()).contains(",\"failure\":null}</script>"));

    IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
        () -> TraceViewer.html(trace, Optional.of(new Failure(events + 1, "x"))));
    assertEquals("the failing event is " + (events + 1) + ", but " + trace.name() + " has " + events + " events",
        beyond.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Failure(0, "x"));
  }

  @Test
  void aFailureIsTakenFromAnInvalidOutcome() throws Exception {
    Trace trace = TraceReader.read(TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS));
    TraceEvent event = trace.events().get(6);
    Outcome.Invalid invalid = new Outcome.Invalid(trace.name(), trace.events().size(), 7, event, "{...}",
        List.of("field state.votedFor: expected 0 (spec), actual 1 (trace)", "field state.role: expected"),
        null, "", List.of());
    assertEquals(Optional.of(new Failure(7, "field state.votedFor: expected 0 (spec), actual 1 (trace)\n"
        + "field state.role: expected")), Failure.of(invalid));
    Outcome.Invalid tlcFailed = new Outcome.Invalid(trace.name(), trace.events().size(), 0, null, "",
        List.of("TLC exited with 255"), null, "", List.of());
    assertEquals(Optional.empty(), Failure.of(tlcFailed));
  }

  @Test
  void writeCreatesTheDirectoryAndReportsWhatItWrote() throws Exception {
    Trace trace = TraceReader.read(TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS));
    Path out = dir.resolve("report/deeper/trace.html");
    TraceViewer.Page page = TraceViewer.write(trace, Optional.empty(), out);
    byte[] bytes = Files.readAllBytes(out);
    assertEquals(bytes.length, page.bytes());
    assertEquals(trace.events().size(), page.events());
    assertEquals(TraceViewer.html(trace, Optional.empty()), new String(bytes, StandardCharsets.UTF_8));
  }

  /** The string values of the top-level fields {@code names}, in that order. */
  private static List<String> strings(String json, String... names) throws IOException {
    List<String> found = new ArrayList<>();
    for (String name : names) {
      try (JsonParser p = new JsonFactory().createParser(json)) {
        p.nextToken();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
            found.add(p.getText());
          } else if (field.equals("failure") && p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() != JsonToken.END_OBJECT) {
              if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals(name)) {
                p.nextToken();
                found.add(p.getText());
              }
            }
          } else {
            p.skipChildren();
          }
        }
      }
    }
    return found;
  }

  private static String jsonString(String s) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
      g.writeString(s);
    }
    return text.toString();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
