package org.raftref.tracecheck.zoo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.raftref.tracecheck.trace.TraceInputException;
import org.raftref.tracecheck.validate.Outcome;
import org.raftref.tracecheck.validate.TraceValidator;

/**
 * The zoo's machinery: compiles each mutant once (the control is the unpatched core, compiled the same way),
 * runs scenarios through it into ndjson traces under {@code dir}, and validates traces with TLC.
 */
final class Zoo {

  static final Path SPEC_DIR = Path.of(System.getProperty("raftref.specDir", "../spec"));

  /** A run's trace file and what the simulator said. */
  record Result(Path trace, ZooRun run) {}

  private final Path dir;
  private final TraceValidator validator;
  private final Map<String, MutantClassLoader> loaders = new HashMap<>();

  Zoo(Path dir) {
    this.dir = dir;
    Path workRoot = Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("zoo");
    this.validator = validator(workRoot);
  }

  /**
   * A validator with a forked TLC of 256 MB heap. Built reflectively because trace-check's validate package is
   * being reworked (the TLC process handle becomes a heap size): this works with either constructor.
   */
  private static TraceValidator validator(Path workRoot) {
    TraceValidator.Input input = TraceValidator.Input.OVERRIDE;
    try {
      return TraceValidator.class.getConstructor(Path.class, Path.class, TraceValidator.Input.class, String.class)
          .newInstance(SPEC_DIR, workRoot, input, "256m");
    } catch (NoSuchMethodException e) {
      try {
        Class<?> process = Class.forName("org.raftref.tracecheck.validate.TlcProcess");
        Object forked = process.getMethod("forked", String.class).invoke(null, "256m");
        return TraceValidator.class.getConstructor(Path.class, Path.class, TraceValidator.Input.class, process)
            .newInstance(SPEC_DIR, workRoot, input, forked);
      } catch (ReflectiveOperationException f) {
        throw new IllegalStateException("no TraceValidator constructor the zoo knows: " + f, f);
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a TraceValidator: " + e, e);
    }
  }

  /** The loader of {@code bug}'s mutant (the control's: the core as it is), compiled on first use. */
  MutantClassLoader loader(Bug bug) {
    String key = bug.patches().isEmpty() ? "control" : bug.name();
    return loaders.computeIfAbsent(key,
        k -> new MutantClassLoader("zoo-" + k, MutantCompiler.compile(k, MutantCompiler.patchedSources(bug)),
            Zoo.class.getClassLoader()));
  }

  /** Runs {@code bug}'s scenario with its mutant, writing {@code dir/<bug>.ndjson}. */
  Result run(Bug bug) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path trace = dir.resolve(bug.name() + ".ndjson");
    ZooRun run = loader(bug).runner().run(bug.scenario(), trace);
    return new Result(trace, run);
  }

  Outcome validate(Path trace) throws TraceInputException {
    return validator.validate(List.of(trace));
  }

  /**
   * The 1-based index of the first event at which two traces differ (the header is line 0 and is not
   * compared), or -1 if they are equal. A trace that is a prefix of the other differs at its length + 1.
   */
  static int firstDifference(Path a, Path b) {
    try {
      List<String> x = Files.readAllLines(a);
      List<String> y = Files.readAllLines(b);
      for (int k = 1; k < Math.max(x.size(), y.size()); k++) {
        if (k >= x.size() || k >= y.size() || !x.get(k).equals(y.get(k))) {
          return k;
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
