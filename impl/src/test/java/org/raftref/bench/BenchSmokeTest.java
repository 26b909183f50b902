package org.raftref.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.cli.RaftrefMain;

/**
 * {@code raftref bench} end to end with tiny phases (about a second of measuring per cluster): three node
 * JVMs, untraced and traced. Checks that the table has a row for every metric of each suite and that the TSV
 * has peerbench's five columns, never how fast anything was.
 */
class BenchSmokeTest {

  @Test
  void aShortRunPrintsACompleteTableAndWritesTheTsv(@TempDir Path dir) throws Exception {
    Path tsv = dir.resolve("bench.tsv");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RaftrefMain.run(new String[] {"bench", "--reps", "1", "--seq", "100", "--seq-max-seconds", "1",
        "--seq-warmup", "10", "--concurrency", "8", "--tput-seconds", "0.5", "--warmup-seconds", "0.2",
        "--node-heap", "128m", "--trace", "both", "--suite", "smoke", "--dir", dir.resolve("run").toString(),
        "--tsv", tsv.toString(), "--results", dir.resolve("results").toString(),
        "--trace-dir", dir.resolve("traces").toString()}, new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertEquals(0, exit, out + "\n" + err);

    String table = out.toString();
    for (String suite : List.of("smoke", "smoke_trace")) {
      assertTrue(table.contains("suite " + suite + "\n"), table);
      for (String metric : BenchResults.METRICS.keySet()) {
        Pattern row = Pattern.compile("(?m)^" + metric + " +" + Pattern.quote(BenchResults.METRICS.get(metric))
            + " +\\S+ +\\S+ +\\S+\\.\\.\\S+ +\\S+$");
        assertTrue(row.matcher(table).find(), "no row for " + metric + " in\n" + table);
      }
    }
    assertTrue(table.contains("tracing overhead: b_tput_ops_per_s"), table);
    String traced = table.substring(table.indexOf("suite smoke_trace\n"));
    String untraced = table.substring(table.indexOf("suite smoke\n"), table.indexOf("suite smoke_trace\n"));
    Map<String, String> traceMetrics = Map.of("b_trace_driver_pct", "%", "b_trace_cpu_pct", "%",
        "b_trace_bytes_per_op", "B");
    for (Map.Entry<String, String> metric : traceMetrics.entrySet()) {
      Matcher row = Pattern.compile("(?m)^" + metric.getKey() + " +" + metric.getValue()
          + " +\\S+ +(\\S+) +\\S+\\.\\.\\S+ +\\S+$").matcher(traced);
      assertTrue(row.find(), "the traced suite measures what recording cost: no row for " + metric + " in\n" + table);
      assertTrue(Double.parseDouble(row.group(1)) > 0, "recording costs something: " + row.group());
      assertFalse(untraced.contains(metric.getKey()), "an untraced cluster records nothing: " + metric + " in\n"
          + table);
    }
    assertTrue(table.contains("trace recording during (b), medians: "), table);
    assertTrue(table.contains("leader's driver CPU per write in (b), medians: "), table);
    assertTrue(table.contains("trace=both (traces in " + dir.resolve("traces") + ")"), table);
    try (var left = Files.list(dir.resolve("traces"))) {
      assertEquals(List.of(), left.toList(), "each traced cluster's traces are deleted after it");
    }

    Set<String> seen = new HashSet<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      String[] fields = line.split("\t", -1);
      assertEquals(5, fields.length, line);
      assertEquals("1", fields[2], line);
      Double.parseDouble(fields[3]);
      seen.add(fields[0] + " " + fields[1] + " " + fields[4]);
    }
    for (String suite : List.of("smoke", "smoke_trace")) {
      BenchResults.METRICS.forEach((metric, unit) ->
          assertTrue(seen.contains(suite + " " + metric + " " + unit), suite + " " + metric + " missing in the TSV"));
      // --results: one file per suite, holding that suite's lines of the TSV and nothing else
      List<String> own = Files.readAllLines(tsv, StandardCharsets.UTF_8).stream()
          .filter(line -> line.startsWith(suite + "\t")).toList();
      assertEquals(own, Files.readAllLines(dir.resolve("results").resolve(suite + ".tsv"), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aBadOptionIsOneLineNamingIt() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RaftrefMain.run(new String[] {"bench", "--concurrency", "0"}, new PrintWriter(out, true),
        new PrintWriter(err, true));
    assertEquals(2, exit);
    assertEquals("raftref bench: --concurrency must be at least 1, was 0\n", err.toString());
  }

  @Test
  void aBadSizeIsOneLineNamingIt() {
    String[][] cases = {
        {"--node-heap", "1gb", "raftref bench: --node-heap: \"1gb\" is not a size such as 0, 512k, 256m or 2g\n"},
        {"--node-heap", "8m", "raftref bench: --node-heap 8m is below 16m, too small for a node\n"},
        {"--trace-memory", "1k", "raftref bench: --trace-memory: a journal's memory limit is 0 (none) or at least "
            + "4096 bytes (a page), was 1024\n"}};
    for (String[] c : cases) {
      StringWriter err = new StringWriter();
      int exit = RaftrefMain.run(new String[] {"bench", c[0], c[1]}, new PrintWriter(new StringWriter(), true),
          new PrintWriter(err, true));
      assertEquals(2, exit, c[1]);
      assertEquals(c[2], err.toString());
    }
  }

  @Test
  void aRepetitionWhoseNodesCannotStartIsReportedInOneLineAndTheRunFails(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RaftrefMain.run(new String[] {"bench", "--reps", "1", "--dir", dir.toString(),
        "--classpath", dir.resolve("missing.jar").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(1, exit, out + "\n" + err);
    String first = err.toString().lines().findFirst().orElse("");
    assertTrue(first.startsWith("raftref bench: raftref rep 1 failed: node ") && first.contains(" exited while "
        + "waiting for READY"), err.toString());
  }
}
