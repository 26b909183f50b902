package org.raftref.tracecheck.validate;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.TraceHeader;
import org.raftref.tracecheck.trace.Trace;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.trace.TraceMerger;
import org.raftref.tracecheck.trace.TraceReader;

/**
 * Validates a trace against the spec: replays it with TLC through spec/TraceRaft.tla, in a forked JVM with
 * one worker, and accepts it only if TLC succeeds, reaches depth N + 1 for N events and generated exactly
 * N + 1 states (it never branched).
 *
 * <p>If the replay stops at event k (depth k), a second TLC run with {@code DiagnoseAt = k} prints the
 * spec's view of that event: the guards of its action that do not hold, or each field of the recorded state
 * and message that differs from the spec's successor (expected = spec, actual = trace). The work directory,
 * with a copy of the trace and both TLC outputs, is kept.
 *
 * <p>Each validation gets a fresh directory under {@code workRoot} holding the modules, the generated
 * configuration and TLC's outputs; TLC's {@code states/} goes there too, never into spec/.
 */
public final class TraceValidator {

  /** How the trace reaches TLC. */
  public enum Input {
    /** A Java operator ({@link TraceDataOverride}) reads the ndjson inside TLC: the default, and faster. */
    OVERRIDE,
    /** trace-check writes module TraceData with the events spelled in TLA+ ({@link TlaModuleWriter}). */
    GENERATED_MODULE
  }

  private static final String SAY = "\"raftref: ";

  private final Path specDir;
  private final Path workRoot;
  private final Input input;
  private final TlcProcess tlc;

  /**
   * @param specDir where Raft.tla, TraceRaft.tla and TraceData.tla are
   * @param workRoot where each validation gets its own directory
   */
  public TraceValidator(Path specDir, Path workRoot, Input input, TlcProcess tlc) {
    this.specDir = specDir;
    this.workRoot = workRoot;
    this.input = input;
    this.tlc = tlc;
  }

  /**
   * Reads the files, merging them into one trace if there are several, and validates that trace.
   *
   * @throws TraceInputException if a file is not a readable trace, or the files do not merge
   */
  public Outcome validate(List<Path> files) throws TraceInputException {
    List<Trace> parts = new ArrayList<>();
    for (Path file : files) {
      parts.add(TraceReader.read(file));
    }
    return validate(TraceMerger.merge(parts));
  }

  /** Validates a trace already read (from {@code trace.files()}, which the override reads again). */
  public Outcome validate(Trace trace) {
    try {
      return replay(trace);
    } catch (IOException e) {
      throw new UncheckedIOException("trace-check: cannot prepare or read TLC's work directory under " + workRoot
          + ": " + e, e);
    }
  }

  private Outcome replay(Trace trace) throws IOException {
    Files.createDirectories(workRoot);
    Path work = Files.createTempDirectory(workRoot, baseName(trace) + "-");
    for (String module : List.of("Raft.tla", "TraceRaft.tla", "TraceData.tla")) {
      if (!Files.isRegularFile(specDir.resolve(module))) {
        throw new UncheckedIOException("trace-check: the spec directory " + specDir + " has no " + module
            + " (give the directory that holds TraceRaft.tla)",
            new java.io.FileNotFoundException(specDir.resolve(module).toString()));
      }
      Files.copy(specDir.resolve(module), work.resolve(module), StandardCopyOption.REPLACE_EXISTING);
    }
    if (input == Input.GENERATED_MODULE) {
      TlaModuleWriter.write(trace, work);
    }
    int events = trace.events().size();
    long start = System.nanoTime();
    TlcProcess.Result replay = runTlc(trace, work, 0, "replay");
    long millis = (System.nanoTime() - start) / 1_000_000;
    long depth = replay.depth();
    long generated = replay.statesGenerated();
    if (replay.succeeded() && depth == events + 1 && generated == events + 1) {
      return new Outcome.Valid(trace.name(), events, depth, generated, millis, work);
    }
    List<Path> kept = keepTrace(trace, work);
    kept.add(replay.output());
    if (!replay.succeeded() || depth < 1 || depth > events + 1) {
      return new Outcome.Invalid(trace.name(), events, 0, null, "",
          List.of("TLC could not replay the trace: " + oneLine(replay.summary())), null, "", kept);
    }
    if (depth == events + 1) {
      // Every event replayed but some state had two successors: TraceRaft.tla failed to fix a parameter.
      return new Outcome.Invalid(trace.name(), events, 0, null, "",
          List.of("TLC replayed every event but generated " + generated + " states, not " + (events + 1)
              + ": some event left TraceRaft.tla a choice, which it must never do"), null, "", kept);
    }
    int failed = (int) depth; // the state at depth k is the one before event k
    TlcProcess.Result diagnosis = runTlc(trace, work, failed, "diagnose");
    kept.add(diagnosis.output());
    List<String> reasons = diagnosisLines(diagnosis.output());
    if (reasons.isEmpty()) {
      reasons = List.of("the diagnosis run printed no reason: " + oneLine(diagnosis.summary()));
    }
    TraceEvent event = trace.events().get(failed - 1);
    TraceEvent previous = previousOfSameNode(trace.events(), failed - 1);
    return new Outcome.Invalid(trace.name(), events, failed, event, lineOf(event), reasons, previous,
        previous == null ? "" : lineOf(previous), kept);
  }

  private TlcProcess.Result runTlc(Trace trace, Path work, int diagnoseAt, String name) throws IOException {
    Path cfg = work.resolve(name + ".cfg");
    Files.writeString(cfg, configuration(trace.header(), diagnoseAt), StandardCharsets.UTF_8);
    List<String> traceFiles = new ArrayList<>();
    for (Path file : trace.files()) {
      traceFiles.add(file.toAbsolutePath().toString());
    }
    if (input == Input.GENERATED_MODULE) {
      // Only TLC: with trace-check's classes on its class path, TLC would take TraceEvents from the override.
      return tlc.run(work, "TraceRaft.tla", cfg.getFileName().toString(), List.of(), "",
          work.resolve(name + ".out"));
    }
    List<String> properties = List.of("-D" + TraceDataOverride.TRACE_FILES + "=" + String.join(File.pathSeparator,
        traceFiles));
    // The override (tlc2.overrides.TLCOverrides) and what it reads the trace with: the reader, the impl's
    // trace package, Jackson.
    String classPath = TlcProcess.classPathOf(TraceDataOverride.class, org.raftref.trace.NdjsonSink.class,
        com.fasterxml.jackson.core.JsonFactory.class);
    return tlc.run(work, "TraceRaft.tla", cfg.getFileName().toString(), properties, classPath,
        work.resolve(name + ".out"));
  }

  /** The TLC configuration of a replay: the cluster from the trace's header, and the trace spec's constants. */
  static String configuration(TraceHeader header, int diagnoseAt) {
    StringBuilder servers = new StringBuilder();
    for (int member : header.members()) {
      servers.append(servers.length() == 0 ? "" : ", ").append(member);
    }
    return "\\* Generated by trace-check: the replay of one trace (spec/TraceRaft.tla).\n"
        + "INIT TraceInit\n"
        + "NEXT TraceNext\n"
        + "CONSTANTS\n"
        + "  Server = {" + servers + "}\n"
        + "  MaxBatch = " + header.maxEntriesPerAppend() + "\n"
        + "  DiagnoseAt = " + diagnoseAt + "\n"
        + "  Nil <- TraceNil\n"
        + "  NoOp <- TraceNoOp\n"
        + "  Value <- TraceValue\n"
        + "VIEW TraceView\n"
        + "CHECK_DEADLOCK FALSE\n";
  }

  /** The lines TraceRaft.tla's DiagnoseStep printed, without TLC's quotes and escapes. */
  static List<String> diagnosisLines(Path output) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith(SAY) && line.endsWith("\"")) {
        lines.add(line.substring(SAY.length(), line.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\"));
      }
    }
    return lines;
  }

  /** TLC's summary on one line of a report. */
  private static String oneLine(String summary) {
    return summary.strip().replaceAll("\\s*\\R\\s*", " | ");
  }

  private static @Nullable TraceEvent previousOfSameNode(List<TraceEvent> events, int index) {
    int owner = events.get(index).owner();
    for (int k = index - 1; k >= 0; k--) {
      if (events.get(k).owner() == owner) {
        return events.get(k);
      }
    }
    return null;
  }

  private static String lineOf(TraceEvent event) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(event.file(), StandardCharsets.UTF_8)) {
      String line = null;
      for (int k = 0; k < event.line(); k++) {
        line = in.readLine();
      }
      return line == null ? "(the file has changed: line " + event.line() + " is gone)" : line;
    }
  }

  /** Copies the trace files into the work directory, which outlives the (perhaps regenerated) originals. */
  private static List<Path> keepTrace(Trace trace, Path work) throws IOException {
    List<Path> kept = new ArrayList<>();
    Path dir = Files.createDirectories(work.resolve("trace"));
    for (Path file : trace.files()) {
      Path copy = dir.resolve(file.getFileName());
      Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
      kept.add(copy);
    }
    return kept;
  }

  private static String baseName(Trace trace) {
    String name = trace.files().get(0).getFileName().toString();
    name = name.endsWith(".ndjson") ? name.substring(0, name.length() - ".ndjson".length()) : name;
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
