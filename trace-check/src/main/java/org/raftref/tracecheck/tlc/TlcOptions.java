package org.raftref.tracecheck.tlc;

import java.time.Duration;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How to run TLC.
 *
 * @param workers TLC's {@code -workers}; the machines this project runs on have 2 cores shared with other
 *     work, so 1 unless measuring
 * @param heap the forked JVM's {@code -Xmx}, such as "2g" (TLC takes a quarter of the RAM otherwise)
 * @param simulate random simulation ({@code -simulate}) instead of exhaustive breadth-first search
 * @param traces in simulation, how many behaviours to generate (TLC's {@code num=}); null for no limit
 * @param depth TLC's {@code -depth}: the length of a simulated behaviour; null for TLC's default (100)
 * @param seed TLC's {@code -seed} for simulation; null for a random one (TLC prints it)
 * @param pollInterval how often to ask the running TLC for its statistics; TLC itself reports once a minute
 * @param keepStates keep TLC's {@code states/} directory (fingerprints, queue) after the run
 * @param extraArguments more TLC arguments, placed before the module name
 * @param extraJvmArguments more arguments for the forked JVM, such as system properties
 */
public record TlcOptions(
    int workers,
    String heap,
    boolean simulate,
    @Nullable Long traces,
    @Nullable Integer depth,
    @Nullable Long seed,
    Duration pollInterval,
    boolean keepStates,
    List<String> extraArguments,
    List<String> extraJvmArguments) {

  public TlcOptions {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    if (!heap.matches("\\d+[kKmMgG]?")) {
      throw new IllegalArgumentException("heap must look like 512m or 2g, was '" + heap + "'");
    }
    extraArguments = List.copyOf(extraArguments);
    extraJvmArguments = List.copyOf(extraJvmArguments);
  }

  /** Exhaustive search with one worker, 2 GB of heap, statistics polled every 5 seconds. */
  public static TlcOptions defaults() {
    return new TlcOptions(1, "2g", false, null, null, null, Duration.ofSeconds(5), false, List.of(), List.of());
  }

  public TlcOptions withWorkers(int n) {
    return new TlcOptions(n, heap, simulate, traces, depth, seed, pollInterval, keepStates, extraArguments,
        extraJvmArguments);
  }

  public TlcOptions withHeap(String h) {
    return new TlcOptions(workers, h, simulate, traces, depth, seed, pollInterval, keepStates, extraArguments,
        extraJvmArguments);
  }

  /** Random simulation of {@code n} behaviours (null: until stopped) of at most {@code d} steps. */
  public TlcOptions withSimulation(@Nullable Long n, @Nullable Integer d, @Nullable Long s) {
    return new TlcOptions(workers, heap, true, n, d, s, pollInterval, keepStates, extraArguments,
        extraJvmArguments);
  }

  public TlcOptions withPollInterval(Duration interval) {
    return new TlcOptions(workers, heap, simulate, traces, depth, seed, interval, keepStates, extraArguments,
        extraJvmArguments);
  }

  /** The TLC arguments these options stand for (without {@code -config} and the module). */
  List<String> tlcArguments() {
    List<String> args = new java.util.ArrayList<>(List.of("-tool", "-workers", String.valueOf(workers)));
    if (simulate) {
      args.add("-simulate");
      if (traces != null) {
        args.add("num=" + traces);
      }
    }
    if (depth != null) {
      args.addAll(List.of("-depth", String.valueOf(depth)));
    }
    if (seed != null) {
      args.addAll(List.of("-seed", String.valueOf(seed)));
    }
    args.addAll(extraArguments);
    return args;
  }
}
