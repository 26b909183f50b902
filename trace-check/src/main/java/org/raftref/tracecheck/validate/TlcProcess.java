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
 * <p>The forked JVM's class path is given as the jars that hold certain classes ({@link #classPathOf}), found
 * from the classes rather than from {@code java.class.path}, which under Maven's exec plugin or Surefire is
 * not the project's class path.
 */
public interface TlcProcess {

  /** TLC's exit code, and the file holding everything it printed. */
  record Result(int exitCode, Path output) {}

  /**
   * Runs TLC in {@code workDir} on {@code spec} with configuration {@code cfg} (both file names in it).
   *
   * @param jvmArgs extra arguments for the JVM, such as system properties
   * @param classPath TLC's class path: see {@link #classPathOf}
   */
  Result run(Path workDir, String spec, String cfg, List<String> jvmArgs, String classPath, Path output)
      throws IOException;

  /** Forks {@code java} with {@code -Xmx} {@code maxHeap} (such as "1g") and TLC's usual options. */
  static TlcProcess forked(String maxHeap) {
    return (workDir, spec, cfg, jvmArgs, classPath, output) -> {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx" + maxHeap);
      command.add("-XX:+UseParallelGC");
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(classPath);
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

  /** A class path of the jars (or class directories) holding TLC and the given classes. */
  static String classPathOf(Class<?>... classes) {
    Set<String> entries = new LinkedHashSet<>();
    List<Class<?>> all = new ArrayList<>(List.of(tlc2.TLC.class));
    all.addAll(List.of(classes));
    for (Class<?> c : all) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
