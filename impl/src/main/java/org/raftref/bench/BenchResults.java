package org.raftref.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values a benchmark run measured, by suite, metric and repetition; printed as a table and written as
 * TSV lines {@code suite metric rep value unit}, the format of peerbench's results/*.tsv (so its
 * tools/pool.py reads them). Metric names and units are peerbench's. Thread-safe (one lock).
 */
final class BenchResults {

  /** Every metric one successful repetition records, in table order, with its unit. */
  static final Map<String, String> METRICS = metrics();

  private static Map<String, String> metrics() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("a_seq_p50_us", "us");
    m.put("a_seq_p90_us", "us");
    m.put("a_seq_p99_us", "us");
    m.put("a_seq_max_us", "us");
    m.put("a_seq_ops_per_s", "ops/s");
    m.put("b_tput_ops_per_s", "ops/s");
    m.put("b_tput_lat_p50_us", "us");
    m.put("b_tput_lat_p99_us", "us");
    m.put("b_node_cpu_us_per_op", "us");
    m.put("b_leader_driver_cpu_us_per_op", "us");
    m.put("b_gc_pct", "%");
    m.put("b_gc_count", "count");
    m.put("c_cold_election_ms", "ms");
    m.put("c_cold_first_commit_client_ms", "ms");
    m.put("d_reelection_ms", "ms");
    m.put("d_client_failover_first_commit_ms", "ms");
    m.put("a_host_busy_pct", "%");
    m.put("b_host_busy_pct", "%");
    m.put("c_host_busy_pct", "%");
    m.put("d_host_busy_pct", "%");
    m.put("a_host_foreign_cpu_pct", "%");
    m.put("b_host_foreign_cpu_pct", "%");
    m.put("c_host_foreign_cpu_pct", "%");
    m.put("d_host_foreign_cpu_pct", "%");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** suite -> metric -> repetition -> value; suites and metrics in the order first recorded. */
  private final Map<String, Map<String, TreeMap<Integer, Double>>> values = new LinkedHashMap<>();
  private final Map<String, String> units = new LinkedHashMap<>();

  synchronized void record(String suite, String metric, int rep, double value, String unit) {
    values.computeIfAbsent(suite, s -> new LinkedHashMap<>()).computeIfAbsent(metric, m -> new TreeMap<>())
        .put(rep, value);
    units.put(metric, unit);
  }

  /** The TSV lines of every suite, one per value, each ending in a newline. */
  synchronized String tsv() {
    StringBuilder out = new StringBuilder();
    for (String suite : values.keySet()) {
      out.append(tsv(suite));
    }
    return out.toString();
  }

  /** The TSV lines of {@code suite} alone (peerbench keeps one suite per file: results/SUITE.tsv). */
  synchronized String tsv(String suite) {
    StringBuilder out = new StringBuilder();
    values.getOrDefault(suite, Map.of()).forEach((metric, reps) -> reps.forEach((rep, value) ->
        out.append(String.format(Locale.ROOT, "%s\t%s\t%d\t%.3f\t%s%n", suite, metric, rep, value,
            units.get(metric)))));
    return out.toString();
  }

  /** The suites that recorded something, in the order they first did. */
  synchronized List<String> suites() {
    return List.copyOf(values.keySet());
  }

  /** The median of {@code metric}'s repetitions in {@code suite}, or NaN if it has none. */
  synchronized double median(String suite, String metric) {
    TreeMap<Integer, Double> reps = values.getOrDefault(suite, Map.of()).get(metric);
    return reps == null ? Double.NaN : median(reps.values().stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * For each repetition in which both suites recorded {@code metric}: how much {@code changed}'s value differs
   * from {@code base}'s, in %. Two suites of one repetition run back to back, so the pair shares whatever the
   * host was doing then; the median of these pairs is a steadier comparison than the ratio of the medians.
   */
  synchronized TreeMap<Integer, Double> pairedChangePct(String base, String changed, String metric) {
    TreeMap<Integer, Double> changes = new TreeMap<>();
    Map<Integer, Double> before = values.getOrDefault(base, Map.of()).getOrDefault(metric, new TreeMap<>());
    Map<Integer, Double> after = values.getOrDefault(changed, Map.of()).getOrDefault(metric, new TreeMap<>());
    before.forEach((rep, value) -> {
      Double other = after.get(rep);
      if (other != null && value != 0) {
        changes.put(rep, (other / value - 1) * 100);
      }
    });
    return changes;
  }

  /**
   * The table: per suite, one row per metric with each repetition's value ("-" where a repetition did not
   * record it), the median, min..max and the spread (max - min) / median in %.
   */
  synchronized String table(int reps) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Map<String, TreeMap<Integer, Double>>> suite : values.entrySet()) {
      List<String[]> rows = new ArrayList<>();
      List<String> header = new ArrayList<>(List.of("metric", "unit"));
      for (int rep = 1; rep <= reps; rep++) {
        header.add("rep" + rep);
      }
      header.addAll(List.of("median", "min..max", "spread%"));
      rows.add(header.toArray(new String[0]));
      List<Map.Entry<String, TreeMap<Integer, Double>>> metrics = new ArrayList<>(suite.getValue().entrySet());
      metrics.sort(java.util.Comparator.comparingInt(m -> tableOrder(m.getKey())));
      for (Map.Entry<String, TreeMap<Integer, Double>> metric : metrics) {
        List<String> row = new ArrayList<>(List.of(metric.getKey(), String.valueOf(units.get(metric.getKey()))));
        for (int rep = 1; rep <= reps; rep++) {
          Double value = metric.getValue().get(rep);
          row.add(value == null ? "-" : format(value));
        }
        double[] v = metric.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
        double min = Arrays.stream(v).min().orElse(Double.NaN);
        double max = Arrays.stream(v).max().orElse(Double.NaN);
        double median = median(v);
        row.add(format(median));
        row.add(format(min) + ".." + format(max));
        row.add(median == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (max - min) / Math.abs(median) * 100));
        rows.add(row.toArray(new String[0]));
      }
      out.append("suite ").append(suite.getKey()).append('\n').append(align(rows));
    }
    return out.toString();
  }

  /** Where {@code metric} goes in the table: the order of {@link #METRICS}, other metrics after them. */
  private static int tableOrder(String metric) {
    int at = new ArrayList<>(METRICS.keySet()).indexOf(metric);
    return at < 0 ? METRICS.size() : at;
  }

  private static String align(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = row[c];
        // names left-aligned, numbers right-aligned
        line.append(c < 2 ? String.format("%-" + width[c] + "s", cell) : String.format("%" + width[c] + "s", cell));
        line.append(c + 1 < columns ? "  " : "");
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Three significant digits or so, like peerbench's summary. */
  static String format(double x) {
    double a = Math.abs(x);
    if (Double.isNaN(x)) {
      return "-";
    } else if (a >= 1000) {
      return String.format(Locale.ROOT, "%.0f", x);
    } else if (a >= 100) {
      return String.format(Locale.ROOT, "%.1f", x);
    } else if (a >= 10) {
      return String.format(Locale.ROOT, "%.2f", x);
    }
    return String.format(Locale.ROOT, "%.3f", x);
  }
}
