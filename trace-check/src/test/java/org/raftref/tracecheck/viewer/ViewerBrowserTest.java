package org.raftref.tracecheck.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.trace.TraceAction;
import org.raftref.tracecheck.trace.TestTraces;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceReader;
import org.raftref.tracecheck.trace.TracedMessage;

/**
 * Renders viewer pages in headless Chromium and reads back what the page's script wrote into its
 * {@code #render-report} element (with {@code --dump-dom}), and takes screenshots kept under
 * {@code target/viewer/} for a person to look at.
 *
 * <p>Needs a Chromium binary: the system property {@code raftref.chromium}, or {@code chromium},
 * {@code chromium-browser}, {@code google-chrome} on the PATH (Debian: {@code apt-get install -y chromium}).
 * Without one, every test here is reported as skipped with that reason; none passes without a browser.
 */
class ViewerBrowserTest {

  private static final Path OUT = Path.of(System.getProperty("raftref.viewerOut", "target/viewer"));
  private static final long BROWSER_LIMIT_SECONDS = 180;
  private static final Pattern REPORT = Pattern.compile("<div id=\"render-report\"([^>]*)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"");

  @TempDir
  Path dir;

  private Path chromium;
  private static boolean skipReported;

  @BeforeEach
  void findChromium() throws IOException {
    Optional<Path> found = findBrowser();
    String given = System.getProperty("raftref.chromium", "");
    String reason = given.isEmpty()
        ? "no Chromium on the PATH (looked for chromium, chromium-browser, google-chrome, google-chrome-stable);"
            + " install it (Debian: apt-get install -y chromium) or name it with -Draftref.chromium=PATH"
        : "-Draftref.chromium=" + given + " is not an executable file";
    if (found.isEmpty() && !skipReported) {
      // Surefire's summary only counts skips; say why in the build log too.
      System.err.println("ViewerBrowserTest skipped: " + reason);
      skipReported = true;
    }
    Assumptions.assumeTrue(found.isPresent(), "skipped: " + reason);
    chromium = found.get();
    Files.createDirectories(OUT);
  }

  /** A small known trace with a failure to highlight and hostile text in its origin and in the failure. */
  @Test
  void aKnownTraceShowsItsLanesItsEventsAndTheFailingEvent() throws Exception {
    List<String> lines = new ArrayList<>(TestTraces.lines(
        TestTraces.write(dir, "faults.ndjson", TestTraces.ELECTION_COMMIT_FAULTS)));
    lines.set(0, lines.get(0).replaceFirst("\"origin\":\"[^\"]*\"",
        Matcher.quoteReplacement("\"origin\":\"test faults.ndjson " + TraceViewerTest.HOSTILE
            .replace("\\", "\\\\").replace("\"", "\\\"").replace("\u2028", "").replace("\u2029", "") + "\"")));
    Trace trace = TraceReader.read(TestTraces.writeLines(dir.resolve("known.ndjson"), lines));
    int failing = firstEvent(trace, TraceAction.HandleAppendEntriesRequest, 2);
    MessageFlows flows = NetworkReplay.replay(trace);
    Path html = OUT.resolve("known-trace.html");
    TraceViewer.write(trace, Optional.of(new Failure(failing,
        "field state.commitIndex: expected 1 (spec), actual 2 (trace)\n" + TraceViewerTest.HOSTILE)), html);

    String dom = dumpDom(html, "");
    Map<String, String> report = report(dom);
    assertEquals("ok", report.get("status"), dom);
    assertEquals(String.valueOf(trace.header().members().size()), report.get("lanes"));
    assertEquals(trace.header().members().size(), count(dom, "class=\"lane-label\""));
    assertEquals(String.valueOf(trace.events().size()), report.get("events"));
    assertEquals(String.valueOf(flows.flights().size()), report.get("flights"));
    assertEquals(String.valueOf(failing), report.get("failure-index"));
    assertEquals(String.valueOf(failing), report.get("selected"), "the failing event is shown first");
    assertTrue(dom.contains("Validation failed at event " + failing + " of " + trace.events().size()), dom);
    assertTrue(Integer.parseInt(report.get("drawn-marks")) > 0, report.toString());
    assertFalse(dom.contains("data-pwned=\"yes\""), "a script or element from the trace's text ran");

    screenshot(html, OUT.resolve("known-trace.png"), "1400,800");
  }

  /** A simulator run of several thousand events: only the visible part is drawn, all of it when zoomed out. */
  @Test
  void aSimulatorTraceOfSeveralThousandEventsRenders() throws Exception {
    Path file = ViewerTraces.simulatorTrace(dir, "sim-42.ndjson", 42, 0, 20_000);
    Trace trace = TraceReader.read(file);
    int events = trace.events().size();
    assertTrue(events >= 4000, "the seed gives a trace of several thousand events, gave " + events);
    MessageFlows flows = NetworkReplay.replay(trace);
    Path html = OUT.resolve("simulator-trace.html");
    TraceViewer.Page page = TraceViewer.write(trace, Optional.empty(), html);

    Map<String, String> report = report(dumpDom(html, "#bench"));
    assertEquals("ok", report.get("status"), report.toString());
    assertEquals(String.valueOf(trace.header().members().size()), report.get("lanes"));
    assertEquals(String.valueOf(events), report.get("events"));
    assertEquals(String.valueOf(flows.flights().size()), report.get("flights"));
    int firstFrame = Integer.parseInt(report.get("initial-drawn-marks"));
    assertTrue(firstFrame > 0 && firstFrame < events, "the first frame draws the visible events only: " + report);
    // The bench ends zoomed out to the whole trace: then every event is drawn.
    assertEquals(String.valueOf(events), report.get("drawn-marks"), report.toString());
    // ... and it built the side panel of every event without an error (status "ok" comes after it).
    assertEquals(String.valueOf(events), report.get("bench-panels"), report.toString());
    System.out.println("viewer: " + events + " events, " + flows.flights().size() + " message copies, page "
        + page.bytes() + " bytes; in headless Chromium: ready " + report.get("init-ms") + " ms after the script"
        + " started, frame " + report.get("bench-frame-ms-avg") + " ms on average (max "
        + report.get("bench-frame-ms-max") + ") over 60 positions, whole trace in one frame "
        + report.get("bench-fit-frame-ms") + " ms, side panel " + report.get("bench-panel-ms-avg") + " ms per event");

    screenshot(html, OUT.resolve("simulator-trace.png"), "1600,900");
  }

  /** Receives the network cannot account for (a trace with a bug in it) are listed and their panels built. */
  @Test
  void eventsTheNetworkCannotAccountForAreListed() throws Exception {
    TracedMessage.AppendEntriesRequest hb = ViewerTraces.heartbeat(1, 2, 1);
    Trace trace = new ViewerTraces.Builder(1, 2)
        .appendEntries(1, hb).handleAppendEntriesRequest(2, hb)     // received before node 1 persisted
        .handleAppendEntriesRequest(2, ViewerTraces.heartbeat(1, 2, 7)) // received, never produced
        .build();
    int anomalies = NetworkReplay.replay(trace).anomalies().size();
    Path html = OUT.resolve("anomalies.html");
    TraceViewer.write(trace, Optional.empty(), html);
    String dom = dumpDom(html, "#bench");
    Map<String, String> report = report(dom);
    assertEquals("ok", report.get("status"), report.toString());
    assertEquals(String.valueOf(anomalies), report.get("anomalies"));
    assertEquals(String.valueOf(trace.events().size()), report.get("bench-panels"));
    assertTrue(dom.contains(anomalies + " events the network cannot account for"), dom);
  }

  /** The probe of the first test would see an injected script: here one runs, and the dump shows its work. */
  @Test
  void theDomDumpShowsWhatAPageScriptDid() throws Exception {
    Path probe = Files.writeString(dir.resolve("probe.html"), "<!DOCTYPE html><html><body><script>"
        + "document.documentElement.setAttribute('data-pwned','yes')</script></body></html>");
    assertTrue(dumpDom(probe, "").contains("data-pwned=\"yes\""));
  }

  private static int firstEvent(Trace trace, TraceAction action, int node) {
    for (int k = 1; k <= trace.events().size(); k++) {
      if (trace.events().get(k - 1).action() == action && trace.events().get(k - 1).node() == node) {
        return k;
      }
    }
    throw new AssertionError("the trace has no " + action + " on node " + node);
  }

  private String dumpDom(Path html, String fragment) throws Exception {
    return run(html, List.of("--dump-dom", html.toAbsolutePath().toUri() + fragment));
  }

  private void screenshot(Path html, Path png, String windowSize) throws Exception {
    Files.deleteIfExists(png);
    run(html, List.of("--hide-scrollbars", "--window-size=" + windowSize,
        "--screenshot=" + png.toAbsolutePath(), html.toAbsolutePath().toUri().toString()));
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
        "a PNG screenshot in " + png);
  }

  /** Runs headless Chromium with {@code args}; returns its standard output. */
  private String run(Path html, List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    command.addAll(args);
    Path stdout = Files.createTempFile(dir, "chromium", ".out");
    Path stderr = OUT.resolve(html.getFileName() + ".chromium.err");
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(BROWSER_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("Chromium did not finish within " + BROWSER_LIMIT_SECONDS + " s: " + command + "; stderr in " + stderr);
    }
    assertEquals(0, p.exitValue(), "Chromium failed: " + command + "; stderr in " + stderr);
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private static Map<String, String> report(String dom) {
    Matcher m = REPORT.matcher(dom);
    assertTrue(m.find(), "the page has its render report: " + dom.substring(0, Math.min(dom.length(), 2000)));
    Map<String, String> attributes = new TreeMap<>();
    Matcher a = ATTRIBUTE.matcher(m.group(1));
    while (a.find()) {
      attributes.put(a.group(1), a.group(2));
    }
    return attributes;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  private static Optional<Path> findBrowser() {
    String given = System.getProperty("raftref.chromium", "");
    if (!given.isEmpty()) {
      return Files.isExecutable(Path.of(given)) ? Optional.of(Path.of(given)) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
      for (String folder : path.split(File.pathSeparator)) {
        Path candidate = Path.of(folder.isEmpty() ? "." : folder, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
