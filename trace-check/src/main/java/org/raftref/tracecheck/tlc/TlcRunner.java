package org.raftref.tracecheck.tlc;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs TLC on a model configuration in a forked JVM and reads what it finds.
 *
 * <p>Each run gets a fresh work directory under the runner's root (for Maven, {@code target/tlc/}): the
 * runner copies every module of {@code spec/} and the configuration into it, because TLC looks for the
 * configuration next to the spec and writes its {@code states/} directory where it runs, which must not be
 * {@code spec/}. TLC runs in its own JVM because it calls {@code System.exit}. Its output goes to
 * {@code tlc.out} in the work directory and, as it comes, through {@link TlcOutputParser}, which reports
 * TLC's progress; a {@link StatisticsPoller} adds a report every few seconds in between.
 */
public final class TlcRunner {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  /** The file in the work directory that holds everything TLC printed. */
  public static final String OUTPUT_FILE = "tlc.out";

  private final Path workRoot;
  /** Added after TLC's jar to the forked JVM's class path: the classes of TLC operator overrides. */
  private final List<Path> extraClassPath;

  /** @param workRoot where the runs' work directories go, such as {@code target/tlc} */
  public TlcRunner(Path workRoot) {
    this(workRoot, List.of());
  }

  /**
   * @param extraClassPath jars or class directories for the forked JVM besides TLC's jar, such as those
   *     holding a {@code tlc2.overrides.TLCOverrides} and what it uses (trace validation)
   */
  public TlcRunner(Path workRoot, List<Path> extraClassPath) {
    // Absolute: the forked TLC runs inside the work directory, where a relative path would mean another place.
    this.workRoot = workRoot.toAbsolutePath();
    this.extraClassPath = List.copyOf(extraClassPath);
  }

  /**
   * The work root for this process: the system property {@code raftref.workDir} (set by Maven for tests)
   * or {@code target/tlc} in the working directory.
   */
  public static Path defaultWorkRoot() {
    String property = System.getProperty("raftref.workDir");
    return property != null && !property.isBlank() ? Path.of(property) : Path.of("target", "tlc");
  }

  /** Checks {@code config}; blocks until TLC exits. */
  public TlcResult check(ModelConfiguration config, TlcOptions options, TlcProgressListener listener)
      throws IOException {
    Path workDir = freshWorkDir(config.name());
    for (Path module : config.modules()) {
      Files.copy(module, workDir.resolve(module.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }
    String cfgName = config.cfgFile().getFileName().toString();
    Files.copy(config.cfgFile(), workDir.resolve(cfgName), StandardCopyOption.REPLACE_EXISTING);
    return run(config.name(), workDir, config.rootModule(), cfgName, options, listener);
  }

  /**
   * Runs TLC in {@code workDir}, which already holds module {@code rootModule}, the modules it extends and
   * the configuration file {@code cfgName}.
   */
  public TlcResult run(String name, Path workDir, String rootModule, String cfgName, TlcOptions options,
      TlcProgressListener listener) throws IOException {
    Path output = workDir.resolve(OUTPUT_FILE);
    Path tmp = Files.createDirectories(workDir.resolve("tmp"));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + options.heap());
    command.add("-XX:+UseParallelGC");
    // TLC writes the standard modules it extracts from its jar to java.io.tmpdir: keep runs apart.
    command.add("-Djava.io.tmpdir=" + tmp);
    command.addAll(options.extraJvmArguments());
    command.add("-cp");
    StringBuilder classPath = new StringBuilder(tlcClassPath());
    for (Path entry : extraClassPath) {
      classPath.append(java.io.File.pathSeparator).append(entry);
    }
    command.add(classPath.toString());
    command.add("tlc2.TLC");
    command.addAll(options.tlcArguments());
    command.addAll(List.of("-metadir", workDir.resolve("states").toString(), "-config", cfgName, rootModule));

    TlcProgressListener serialized = serialized(listener);
    TlcOutputParser parser = new TlcOutputParser();
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .start();
    StatisticsPoller poller = new StatisticsPoller(process.pid(), options.pollInterval(),
        () -> Duration.ofNanos(System.nanoTime() - started), serialized);
    Thread pollerThread = new Thread(poller, "tlc-statistics-" + process.pid());
    pollerThread.setDaemon(true);
    if (!options.simulate()) {
      pollerThread.start();
    }
    int exitCode;
    try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      out.write("# " + String.join(" ", command));
      out.newLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line);
        out.newLine();
        out.flush(); // so that `tail -f tlc.out` follows a long run
        TlcProgress progress = parser.accept(line, Duration.ofNanos(System.nanoTime() - started));
        if (progress != null) {
          serialized.progress(progress);
        }
      }
      exitCode = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while TLC ran in " + workDir, e);
    } finally {
      poller.stop();
      pollerThread.interrupt();
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    if (!options.keepStates()) {
      deleteRecursively(workDir.resolve("states"));
    }
    deleteRecursively(tmp);
    return parser.result(name, exitCode, elapsed, workDir, output, cfgName, new ActionNames(workDir),
        options.simulate());
  }

  /** A new, empty directory for one run: {@code <root>/<name>-<date>-<time>[-n]}. */
  Path freshWorkDir(String name) throws IOException {
    Files.createDirectories(workRoot);
    String base = name.replace('/', '-') + "-" + LocalDateTime.now().format(STAMP);
    for (int n = 0; ; n++) {
      Path dir = workRoot.resolve(n == 0 ? base : base + "-" + n);
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException e) {
        // Another run started in the same second: try the next suffix.
      }
    }
  }

  /**
   * The forked JVM's class path: the jar that holds TLC, found from its class (under Surefire or the exec
   * plugin {@code java.class.path} is not the project's class path).
   */
  static String tlcClassPath() {
    try {
      return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      throw new IllegalStateException("cannot locate TLC's jar from class tlc2.TLC", e);
    }
  }

  private static TlcProgressListener serialized(TlcProgressListener listener) {
    Object lock = new Object();
    return progress -> {
      synchronized (lock) {
        listener.progress(progress);
      }
    };
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
