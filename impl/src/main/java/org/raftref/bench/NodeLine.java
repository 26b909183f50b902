package org.raftref.bench;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One line of the protocol between the orchestrator ({@link BenchCommand}) and a node JVM ({@link BenchNode}),
 * the same as peerbench's. Node to orchestrator, on standard output: {@code READY t} (JVM up, storage and
 * sockets open), {@code STARTED t0 t1} (GO read at t0, server running at t1), {@code LEADER t term} (this node
 * leads {@code term} and has committed an entry of it), and {@code USAGE t ...}, the answer to STATS: the
 * counters of {@link NodeUsage}, in its order (the trace's are 0 untraced). Orchestrator to node, on standard
 * input: {@code GO}, {@code STATS}.
 *
 * <p>Every {@code t} is {@link System#nanoTime()}: on Linux, HotSpot reads CLOCK_MONOTONIC, one clock for all
 * processes of the host, so times from different JVMs can be subtracted.
 *
 * @param type READY, STARTED, LEADER or USAGE
 * @param values the numbers after the type
 */
record NodeLine(String type, long[] values) {

  static final String READY = "READY";
  static final String STARTED = "STARTED";
  static final String LEADER = "LEADER";
  static final String USAGE = "USAGE";
  static final String GO = "GO";
  static final String STATS = "STATS";

  /** The line as sent. */
  String text() {
    StringBuilder text = new StringBuilder(type);
    for (long value : values) {
      text.append(' ').append(value);
    }
    return text.toString();
  }

  /** The protocol line in {@code text}, or null if it is some other output (a log line, say). */
  static @Nullable NodeLine parse(String text) {
    String[] words = text.strip().split(" ");
    int arity;
    switch (words[0]) {
      case READY -> arity = 1;
      case STARTED, LEADER -> arity = 2;
      case USAGE -> arity = NodeUsage.COUNTERS;
      default -> {
        return null;
      }
    }
    if (words.length != arity + 1) {
      return null;
    }
    List<Long> values = new ArrayList<>();
    for (int i = 1; i < words.length; i++) {
      try {
        values.add(Long.parseLong(words[i]));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return new NodeLine(words[0], values.stream().mapToLong(Long::longValue).toArray());
  }
}
