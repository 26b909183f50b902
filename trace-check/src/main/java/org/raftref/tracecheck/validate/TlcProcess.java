package org.raftref.tracecheck.validate;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.raftref.tracecheck.tlc.TlcOptions;
import org.raftref.tracecheck.tlc.TlcResult;
import org.raftref.tracecheck.tlc.TlcRunner;

/**
 * Runs TLC once for the validator, in a work directory the validator prepared. The seam lets a caller watch
 * or wrap the runs (the demo prints progress); {@link #forked} is the real thing.
 */
public interface TlcProcess {

  /**
   * What one TLC run found.
   *
   * @param depth the depth TLC reached, -1 if it did not say
   * @param statesGenerated the states TLC generated, -1 if it did not say
   * @param succeeded TLC exited 0 and reported no error
   * @param summary TLC's verdict, numbers and errors in a few lines, for a report
   * @param output the file holding everything TLC printed
   */
  record Result(int exitCode, long depth, long statesGenerated, boolean succeeded, String summary, Path output) {}

  /**
   * Runs TLC in {@code workDir} on {@code spec} with configuration {@code cfg} (both file names in it).
   *
   * @param jvmArgs extra arguments for the JVM, such as system properties
   * @param classPath what the forked JVM needs besides TLC itself, as a class path ({@link #classPathOf});
   *     empty for nothing
   * @param output where TLC's output is to be kept
   */
  Result run(Path workDir, String spec, String cfg, List<String> jvmArgs, String classPath, Path output)
      throws IOException;

  /**
   * Runs TLC with the project's {@link TlcRunner} (a forked JVM, one worker, {@code -Xmx} {@code maxHeap}
   * such as "1g", its own temporary directory, {@code states/} deleted afterwards).
   */
  static TlcProcess forked(String maxHeap) {
    return (workDir, spec, cfg, jvmArgs, classPath, output) -> {
      List<Path> extra = new ArrayList<>();
      for (String entry : classPath.split(File.pathSeparator)) {
        if (!entry.isEmpty()) {
          extra.add(Path.of(entry));
        }
      }
      // No statistics polling: a replay is short, and TLC's own report at the end is what is read.
      TlcOptions options = new TlcOptions(1, maxHeap, false, null, null, null, Duration.ofDays(1), false,
          List.of(), jvmArgs);
      TlcResult result = new TlcRunner(workDir, extra).run(cfg, workDir, spec, cfg, options, progress -> { });
      Path kept = result.output().equals(output) ? output
          : Files.move(result.output(), output, StandardCopyOption.REPLACE_EXISTING);
      return new Result(result.exitCode(), result.depth(), result.statesGenerated(), result.succeeded(),
          result.summary().replace(result.output().toString(), kept.toString()), kept);
    };
  }

  /**
   * A class path of the jars (or class directories) holding the given classes, found from the classes rather
   * than from {@code java.class.path}, which under Maven's exec plugin or Surefire is not the project's
   * class path.
   */
  static String classPathOf(Class<?>... classes) {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> c : classes) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }
}
