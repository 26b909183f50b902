package org.raftref.tracecheck.validate;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs TLC on a spec in its own JVM (TLC calls {@code System.exit}) with one worker, its output in a file.
 *
 * <p>The forked JVM's class path is made of the jars that hold TLC, trace-check's classes (for the
 * {@code TraceEvents} override) and what the trace reader needs, found from those classes rather than from
 * {@code java.class.path}, which under Maven's exec plugin or Surefire is not the project's class path.
 */
public interface TlcProcess {

  /** TLC's exit code, and the file holding everything it printed. */
  record Result(int exitCode, Path output) {}

  /**
   * Runs TLC in {@code workDir} on {@code spec} with configuration {@code cfg} (both file names in it).
   *
   * @param jvmArgs extra arguments for the JVM, such as system properties
   */
  Result run(Path workDir, String spec, String cfg, List<String> jvmArgs, Path output) throws IOException;

  /** Forks {@code java} with {@code -Xmx} {@code maxHeap} (such as "1g") and TLC's usual options. */
  static TlcProcess forked(String maxHeap) {
    return (workDir, spec, cfg, jvmArgs, output) -> {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx" + maxHeap);
      command.add("-XX:+UseParallelGC");
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(classPath());
      command.add("tlc2.TLC");
      command.addAll(List.of("-workers", "1", "-metadir", workDir.resolve("states").toString(), "-config", cfg,
          spec));
      Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      try {
        return new Result(process.waitFor(), output);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while TLC ran in " + workDir, e);
      }
    };
  }

  /** The jars (or class directories) of TLC, trace-check, the impl's trace package and Jackson. */
  private static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> c : List.of(tlc2.TLC.class, TraceDataOverride.class, org.raftref.trace.NdjsonSink.class,
        com.fasterxml.jackson.core.JsonFactory.class)) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
