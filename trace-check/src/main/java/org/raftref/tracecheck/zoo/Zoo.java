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
import org.raftref.tracecheck.validate.TlcProcess;
import org.raftref.tracecheck.validate.TraceValidator;

/**
 * The zoo's machinery: compiles each mutant once (the control is the unpatched core, compiled the same way),
 * runs scenarios through it into ndjson traces under {@code dir}, and validates traces with TLC.
 */
public final class Zoo {

  /** A run's trace file and what the simulator said. */
  public record Result(Path trace, ZooRun run) {}

  private final Path dir;
  private final TraceValidator validator;
  private final Map<String, MutantClassLoader> loaders = new HashMap<>();

  /**
   * @param dir where the traces go
   * @param specDir the directory of TraceRaft.tla
   * @param workRoot where TLC's work directories go
   * @param tlcHeap {@code -Xmx} of the forked TLC JVM
   */
  public Zoo(Path dir, Path specDir, Path workRoot, String tlcHeap) {
    this.dir = dir;
    this.validator = new TraceValidator(specDir, workRoot, TraceValidator.Input.OVERRIDE,
        TlcProcess.forked(tlcHeap));
  }

  /** For the tests and SeedSearch: the spec and TLC's work root from the raftref.* properties, 256 MB of heap. */
  public Zoo(Path dir) {
    this(dir, Path.of(System.getProperty("raftref.specDir", "../spec")),
        Path.of(System.getProperty("raftref.workDir", "target/tlc")).resolve("zoo"), "256m");
  }

  /** The loader of {@code bug}'s mutant (the control's: the core as it is), compiled on first use. */
  MutantClassLoader loader(Bug bug) {
    String key = bug.patches().isEmpty() ? "control" : bug.name();
    return loaders.computeIfAbsent(key,
        k -> new MutantClassLoader("zoo-" + k, MutantCompiler.compile(k, MutantCompiler.patchedSources(bug)),
            Zoo.class.getClassLoader()));
  }

  /** Runs {@code bug}'s scenario with its mutant, writing {@code dir/<bug>.ndjson}. */
  public Result run(Bug bug) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path trace = dir.resolve(bug.name() + ".ndjson");
    ZooRun run = loader(bug).runner().run(bug.scenario(), trace);
    return new Result(trace, run);
  }

  public Outcome validate(Path trace) throws TraceInputException {
    return validator.validate(List.of(trace));
  }

  /**
   * The 1-based index of the first event at which two traces differ (the header is line 0 and is not
   * compared), or -1 if they are equal. A trace that is a prefix of the other differs at its length + 1.
   */
  public static int firstDifference(Path a, Path b) {
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
