package org.raftref.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.cli.SizeConverter;
import org.raftref.runtime.trace.JournalMemory;
import org.raftref.runtime.trace.TraceFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftref bench}: peerbench's cluster benchmark (../shared/peerbench, docs/bench.md) run on Raft
 * Reference's own runtime: three node JVMs ({@link BenchNode}) with file storage and fsync, loopback TCP, and
 * a pipelined client ({@link org.raftref.runtime.client.PipelinedRaftClient}) in this JVM. It prints a table,
 * one row per metric, and can write the values as TSV in peerbench's format.
 *
 * <p>Errors are one line, "raftref bench: what is wrong". Exit status: 0 every repetition finished; 1 a
 * repetition failed (reported, the others still run) or the run could not start; 2 bad options.
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Benchmarks a 3-node cluster of separate JVMs on this host (peerbench's measurements): "
        + "sequential latency, throughput, cold-start election, failover after SIGKILL. "
        + "Exit 0 done; 1 a repetition failed; 2 bad options.")
public final class BenchCommand implements Callable<Integer> {

  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  private static final int NODES = 3;
  /** Each cluster of a run takes ports base + 10k .. base + 10k + 5 (peers, then clients) with --base-port. */
  private static final int PORT_STRIDE = 10;

  /**
   * Which runs a repetition makes: without trace, with the ndjson trace, or both back to back (in alternating
   * order, see {@link #runOrder}).
   */
  enum Trace { off, on, both }

  @Option(names = "--reps", paramLabel = "N",
      description = "Repetitions, fresh JVMs and data each (default: ${DEFAULT-VALUE}).")
  private int reps = 3;

  @Option(names = "--seq", paramLabel = "N",
      description = "Sequential writes in phase (a) (default: ${DEFAULT-VALUE}).")
  private int seq = 2000;

  @Option(names = "--seq-max-seconds", paramLabel = "S",
      description = "Phase (a) ends after S seconds at most (default: ${DEFAULT-VALUE}).")
  private double seqMaxSeconds = 6;

  @Option(names = "--seq-warmup", paramLabel = "N",
      description = "Sequential writes at the end of the warm-up (default: ${DEFAULT-VALUE}).")
  private int seqWarmup = 200;

  @Option(names = "--concurrency", paramLabel = "N",
      description = "Writes outstanding in the closed loops (default: ${DEFAULT-VALUE}).")
  private int concurrency = 64;

  @Option(names = "--tput-seconds", paramLabel = "S",
      description = "Length of phase (b), the closed loop (default: ${DEFAULT-VALUE}).")
  private double tputSeconds = 10;

  @Option(names = "--warmup-seconds", paramLabel = "S",
      description = "Closed-loop part of the warm-up (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds = 2;

  @Option(names = "--payload", paramLabel = "BYTES", description = "Size of each command (default: ${DEFAULT-VALUE}).")
  private int payload = 100;

  @Option(names = "--node-heap", paramLabel = "SIZE",
      description = "-Xmx of each node JVM, like 1g or 512m (default: ${DEFAULT-VALUE}).")
  private String nodeHeap = "1g";

  @Option(names = "--base-port", paramLabel = "PORT",
      description = "Loopback ports from PORT on (10 per cluster started); default: free ports chosen by the "
          + "system.")
  private @Nullable Integer basePort;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where node data and logs go, kept afterwards (default: a temporary directory, deleted at the "
          + "end unless a repetition failed).")
  private @Nullable Path dir;

  @Option(names = "--tsv", paramLabel = "FILE",
      description = "Also write the values as TSV lines 'suite metric rep value unit' (peerbench's results format).")
  private @Nullable Path tsv;

  @Option(names = "--results", paramLabel = "DIR",
      description = "Also write each suite's values to DIR/SUITE.tsv, the layout of peerbench's results/ (its "
          + "tools/pool.py reads one suite per file).")
  private @Nullable Path resultsDir;

  @Option(names = "--suite", paramLabel = "NAME",
      description = "Suite name in the table and the TSV (default: ${DEFAULT-VALUE}).")
  private String suite = "raftref";

  @Option(names = "--trace", paramLabel = "off|on|both",
      description = "Trace the nodes (each into its journal): off, on, or both (each repetition runs an untraced and "
          + "a traced cluster, suites NAME and NAME_trace; odd repetitions untraced first, even ones traced "
          + "first) (default: ${DEFAULT-VALUE}).")
  private Trace trace = Trace.off;

  @Option(names = "--trace-dir", paramLabel = "DIR", description = "Where traced nodes write their traces (each "
      + "cluster in a directory of its own, deleted after it), to compare file systems: tmpfs, or another disk "
      + "than the data's (default: inside each cluster's data directory).")
  private @Nullable Path traceDir;

  @Option(names = "--trace-memory", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "As the server's --trace-memory: how much of each traced node's journal is kept in /dev/shm "
          + "while it runs; 0 keeps it all on the disk, to compare (default: 256m).")
  private long traceMemory = JournalMemory.DEFAULT_LIMIT_BYTES;

  @Option(names = "--quiet-wait", paramLabel = "S", description = "Before each cluster, wait up to S seconds for "
      + "3 seconds in a row with the host's CPUs less busy than --quiet-pct; recorded as "
      + "host_foreign_cpu_pct_before_rep (default: ${DEFAULT-VALUE}: do not wait).")
  private double quietWait = 0;

  @Option(names = "--quiet-pct", paramLabel = "P", description = "What --quiet-wait calls quiet, in %% of all CPUs "
      + "(default: ${DEFAULT-VALUE}).")
  private double quietPct = 10;

  @Option(names = "--classpath", paramLabel = "PATH",
      description = "Class path of the node JVMs (default: this JVM's).")
  private @Nullable String classpath;

  @Option(names = "--node-jvm-option", paramLabel = "OPTION", description = "An option for every node JVM, before "
      + "its main class, such as -Xlog:gc:file=gc-%%p.log or -XX:StartFlightRecording=filename=n-%%p.jfr, to see "
      + "where a node's time goes; repeat it for more. The heap options come from --node-heap.")
  private List<String> nodeJvmOptions = new ArrayList<>();

  @Option(names = "--timeline", description = "Print the writes completed in each second of the closed loops.")
  private boolean timeline;

  private final PrintWriter out;
  private final PrintWriter err;

  public BenchCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws InterruptedException {
    BenchSettings settings;
    try {
      settings = settings();
    } catch (IllegalArgumentException e) {
      err.println("raftref bench: " + e.getMessage());
      return EXIT_USAGE;
    }
    Path root;
    try {
      root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("raftref-bench");
    } catch (IOException e) {
      err.println("raftref bench: cannot create the data directory " + (dir == null ? "" : dir + " ") + ": " + e);
      return EXIT_FAILURE;
    }
    Thread killNodes = new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
        "raftref-bench-kill-nodes");
    Runtime.getRuntime().addShutdownHook(killNodes);
    BenchResults results = new BenchResults();
    ClusterRun runner = new ClusterRun(settings, results, out);
    List<String> suites = switch (trace) {
      case off -> List.of(suite);
      case on -> List.of(suite + "_trace");
      case both -> List.of(suite, suite + "_trace");
    };
    out.println("raftref bench: " + describe(settings) + "; data and logs in " + root + "; load average "
        + loadAverage());
    out.flush();
    int failures = 0;
    int cluster = 0;
    for (int rep = 1; rep <= settings.reps(); rep++) {
      for (String name : runOrder(suites, rep)) {
        boolean traced = trace == Trace.on || (trace == Trace.both && name.equals(suite + "_trace"));
        if (quietWait > 0) {
          double before = awaitQuietHost();
          results.record(name, "host_foreign_cpu_pct_before_rep", rep, before, "%");
          if (before >= quietPct) {
            out.printf(Locale.ROOT, "[%s] rep %d: the host did not get quiet within %s s (%.0f%% busy); "
                + "running anyway%n",
                name, rep, BenchResults.format(quietWait), before);
          }
        }
        long started = System.nanoTime();
        try {
          runOne(runner, settings, root, name, rep, traced, cluster++);
          out.printf(Locale.ROOT, "[%s] rep %d done in %.1f s%n", name, rep, (System.nanoTime() - started) / 1e9);
        } catch (BenchFailure | IOException e) {
          failures++;
          err.println("raftref bench: " + name + " rep " + rep + " failed: " + e.getMessage());
        }
        out.flush();
        err.flush();
      }
    }
    out.println();
    String table = results.table(settings.reps());
    out.print(table.isEmpty() ? "no repetition recorded anything: no table\n" : table);
    if (trace == Trace.both) {
      double off = results.median(suite, "b_tput_ops_per_s");
      double on = results.median(suite + "_trace", "b_tput_ops_per_s");
      out.printf(Locale.ROOT, "tracing overhead: b_tput_ops_per_s median %s traced vs %s untraced (%+.1f%%)%n",
          BenchResults.format(on), BenchResults.format(off), (on / off - 1) * 100);
      java.util.TreeMap<Integer, Double> pairs = results.pairedChangePct(suite, suite + "_trace", "b_tput_ops_per_s");
      StringBuilder each = new StringBuilder();
      pairs.values().forEach(change -> each.append(String.format(Locale.ROOT, " %+.1f%%", change)));
      out.printf(Locale.ROOT, "tracing overhead per repetition (traced vs untraced of the same repetition):%s;"
          + " median %+.1f%%%n", each, BenchResults.median(pairs.values().stream().mapToDouble(d -> d).toArray()));
      double driverOff = results.median(suite, "b_leader_driver_cpu_us_per_op");
      double driverOn = results.median(suite + "_trace", "b_leader_driver_cpu_us_per_op");
      out.printf(Locale.ROOT, "leader's driver CPU per write in (b), medians: %.3f us traced vs %.3f us untraced"
          + " (%+.1f%%)%n", driverOn, driverOff, (driverOn / driverOff - 1) * 100);
      out.printf(Locale.ROOT, "trace recording during (b), medians: %.2f%% of the busiest driver's time"
          + " (b_trace_driver_pct), %.2f%% of the nodes' CPU time (b_trace_cpu_pct), %.1f journal bytes per write"
          + " (b_trace_bytes_per_op)%n", results.median(suite + "_trace", "b_trace_driver_pct"),
          results.median(suite + "_trace", "b_trace_cpu_pct"),
          results.median(suite + "_trace", "b_trace_bytes_per_op"));
    }
    out.println("load average at the end: " + loadAverage());
    out.flush();
    try {
      Runtime.getRuntime().removeShutdownHook(killNodes);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already; the hook runs
    }
    if (tsv != null) {
      try {
        Files.writeString(tsv, results.tsv(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("raftref bench: cannot write --tsv " + tsv + ": " + e.getMessage());
        failures++;
      }
    }
    Path resultsTarget = resultsDir;
    if (resultsTarget != null) {
      try {
        Files.createDirectories(resultsTarget);
        for (String name : results.suites()) {
          Files.writeString(resultsTarget.resolve(name + ".tsv"), results.tsv(name), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        err.println("raftref bench: cannot write --results " + resultsTarget + ": " + e.getMessage());
        failures++;
      }
    }
    if (dir == null) {
      if (failures == 0) {
        deleteRecursively(root);
      } else {
        err.println("raftref bench: node logs kept in " + root.resolve("logs"));
      }
    }
    return failures == 0 ? EXIT_OK : EXIT_FAILURE;
  }

  /**
   * Waits up to --quiet-wait seconds for three seconds in a row in which the host's CPUs were less than
   * --quiet-pct busy (no node runs now, so that is other work), and returns the busy % of the last three
   * seconds: a time-based wait on purpose, this measures the host.
   */
  private double awaitQuietHost() throws InterruptedException {
    long deadline = System.nanoTime() + (long) (quietWait * 1e9);
    double[] lastThree = {100, 100, 100};
    int second = 0;
    do {
      HostCpu cpu = HostCpu.start();
      Thread.sleep(1000);
      lastThree[second++ % 3] = cpu.busyPercent();
      if (second >= 3 && Math.max(lastThree[0], Math.max(lastThree[1], lastThree[2])) < quietPct) {
        break;
      }
    } while (System.nanoTime() - deadline < 0);
    return (lastThree[0] + lastThree[1] + lastThree[2]) / 3;
  }

  /** One cluster: the {@code index}-th of this run (it picks the ports). */
  private void runOne(ClusterRun runner, BenchSettings settings, Path root, String name, int rep, boolean traced,
      int index)
      throws BenchFailure, IOException, InterruptedException {
    Path data = root.resolve(name + "-rep" + rep);
    deleteRecursively(data);
    Path traces = traceDir == null ? data.resolve("trace") : traceDir.resolve(name + "-rep" + rep);
    TraceFiles.deleteJournals(traces);
    deleteRecursively(traces);
    int[] ports = ports(index);
    Map<Integer, List<String>> commands = new TreeMap<>();
    Map<Integer, Integer> clientPorts = new TreeMap<>();
    Map<Integer, Path> logs = new TreeMap<>();
    java.util.StringJoiner peerList = new java.util.StringJoiner(",");
    for (int i = 0; i < NODES; i++) {
      peerList.add((i + 1) + "=" + ports[i]);
    }
    String peers = peerList.toString();
    for (int i = 0; i < NODES; i++) {
      int id = i + 1;
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms" + jvmSize(settings.nodeInitialHeapBytes()), "-Xmx" + jvmSize(settings.nodeHeapBytes()),
          "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"));
      command.addAll(nodeJvmOptions);
      command.addAll(List.of("-cp", classpath != null ? classpath : absoluteClassPath(),
          BenchNode.class.getName(), Integer.toString(id), data.resolve("n" + id).toString(), peers,
          Integer.toString(ports[NODES + i]), traced ? traces.toString() : "-", Long.toString(traceMemory)));
      commands.put(id, command);
      clientPorts.put(id, ports[NODES + i]);
      logs.put(id, root.resolve("logs").resolve(name + "-rep" + rep + "-n" + id + ".log"));
    }
    try {
      runner.run(name, rep, commands, clientPorts, logs);
    } finally {
      TraceFiles.deleteJournals(traces); // with the files in memory they link to
      deleteRecursively(data); // node data and traces are large; the logs stay
      deleteRecursively(traces);
    }
  }

  /** Peer ports of nodes 1..3, then their client ports. */
  private int[] ports(int index) throws IOException {
    int[] ports = new int[2 * NODES];
    if (basePort != null) {
      for (int i = 0; i < ports.length; i++) {
        ports[i] = basePort + PORT_STRIDE * index + i;
      }
      return ports;
    }
    // Ask the system for free ports, all at once so that they differ, and hand them to the nodes.
    List<ServerSocket> probes = new ArrayList<>();
    try {
      for (int i = 0; i < ports.length; i++) {
        ServerSocket probe = new ServerSocket();
        probes.add(probe);
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ports[i] = probe.getLocalPort();
      }
    } finally {
      for (ServerSocket probe : probes) {
        probe.close();
      }
    }
    return ports;
  }

  private BenchSettings settings() {
    positive("--reps", reps);
    positive("--seq", seq);
    positive("--seq-max-seconds", seqMaxSeconds);
    atLeastZero("--seq-warmup", seqWarmup);
    positive("--concurrency", concurrency);
    positive("--tput-seconds", tputSeconds);
    atLeastZero("--warmup-seconds", warmupSeconds);
    positive("--payload", payload);
    if (payload > (1 << 20)) {
      throw new IllegalArgumentException("--payload " + payload + " is larger than a command may be (1 MiB)");
    }
    long heap = heapBytes();
    if (basePort != null) {
      int runs = reps * (trace == Trace.both ? 2 : 1);
      long last = (long) basePort + (long) PORT_STRIDE * (runs - 1) + 2 * NODES - 1;
      if (basePort < 1 || last > 65535) {
        throw new IllegalArgumentException("--base-port " + basePort + " leaves no room for " + runs
            + " clusters of 10 ports below 65536");
      }
    }
    atLeastZero("--quiet-wait", quietWait);
    positive("--quiet-pct", quietPct);
    if (suite.isBlank() || !suite.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("--suite '" + suite + "' must be letters, digits, '_', '.' or '-'");
    }
    if (classpath != null && classpath.isBlank()) {
      throw new IllegalArgumentException("--classpath is empty");
    }
    try {
      new JournalMemory(JournalMemory.DEFAULT_DIR, traceMemory);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--trace-memory: " + e.getMessage(), e);
    }
    return new BenchSettings(reps, seq, seqMaxSeconds, seqWarmup, concurrency, tputSeconds, warmupSeconds, payload,
        heap, timeline);
  }

  /** --node-heap in bytes: a number with k, m or g ({@link SizeConverter}). */
  private long heapBytes() {
    long bytes;
    try {
      bytes = new SizeConverter().convert(nodeHeap);
    } catch (picocli.CommandLine.TypeConversionException e) {
      throw new IllegalArgumentException("--node-heap: " + e.getMessage(), e);
    }
    if (bytes < (16L << 20)) {
      throw new IllegalArgumentException("--node-heap " + nodeHeap + " is below 16m, too small for a node");
    }
    return bytes;
  }

  /** A JVM size option's value, in whole KiB. */
  private static String jvmSize(long bytes) {
    return (bytes >> 10) + "k";
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be at least 1, was " + value);
    }
  }

  private static void atLeastZero(String option, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must be 0 or more, was " + value);
    }
  }

  private static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a positive number, was " + value);
    }
  }

  private static void atLeastZero(String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be 0 or more, was " + value);
    }
  }

  private String describe(BenchSettings s) {
    return String.format(Locale.ROOT, "reps=%d seq=%d (at most %s s) seq-warmup=%d concurrency=%d tput-seconds=%s "
        + "warmup-seconds=%s payload=%dB node-heap=%s trace=%s%s trace-memory=%dm; %d node JVMs (-Xms%s -Xmx%s, "
        + "ForkJoinPool.common.parallelism=2) + this client JVM on 127.0.0.1; %d CPUs", s.reps(), s.seq(),
        s.seqMaxSeconds(), s.seqWarmup(), s.concurrency(), s.tputSeconds(), s.warmupSeconds(), s.payload(), nodeHeap,
        trace, traceDir == null ? "" : " (traces in " + traceDir + ")", traceMemory >> 20, NODES,
        jvmSize(s.nodeInitialHeapBytes()),
        jvmSize(s.nodeHeapBytes()),
        Runtime.getRuntime().availableProcessors());
  }

  /** This JVM's class path with every entry absolute (a node JVM may start elsewhere). */
  private static String absoluteClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** The first three fields of /proc/loadavg, or "unknown". */
  static String loadAverage() {
    try (java.io.BufferedReader in = Files.newBufferedReader(Path.of("/proc/loadavg"))) {
      String[] fields = String.valueOf(in.readLine()).strip().split("\\s+");
      return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The suites of repetition {@code rep} in the order they run: as given in odd repetitions, reversed in even
   * ones. Two identical untraced suites run back to back differed by 4% in favour of the second (an A/A run
   * in docs/performance.md, "Tracing overhead"), so a fixed order would bias the tracing overhead.
   */
  static List<String> runOrder(List<String> suites, int rep) {
    if (rep % 2 == 1) {
      return suites;
    }
    List<String> reversed = new java.util.ArrayList<>(suites);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // best effort: a leftover file in a temporary directory is harmless
    }
  }
}
