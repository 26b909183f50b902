package org.raftref.bench;

/**
 * The counters of a node's USAGE line ({@link NodeLine}), in the line's order, all counted since the node's
 * JVM started; or, from {@link #minus}, what they grew by over a phase. The one place that names them: the
 * node writes a line with {@link #values()}, the orchestrator reads it with {@link #of}.
 *
 * @param nanos {@link System#nanoTime()} when the line was written (over a phase: the phase's length)
 * @param events trace events recorded
 * @param recordingNanos the estimated time the driver spent recording them
 * @param toucherNanos the CPU time of the thread that takes the journal's page faults
 * @param cpuNanos the JVM's CPU time
 * @param gcNanos the time of its garbage collections (the collectors' own accounting: pauses, and for G1's old
 *     generation the whole collection)
 * @param gcCount the number of its garbage collections
 * @param driverCpuNanos the CPU time of the server's driver thread
 * @param journalBytes the bytes the trace journal holds
 */
record NodeUsage(long nanos, long events, long recordingNanos, long toucherNanos, long cpuNanos, long gcNanos,
    long gcCount, long driverCpuNanos, long journalBytes) {

  /** The numbers a USAGE line carries. */
  static final int COUNTERS = NodeUsage.class.getRecordComponents().length;

  /** The counters of a USAGE line's values. */
  static NodeUsage of(long[] v) {
    if (v.length != COUNTERS) {
      throw new IllegalArgumentException("a USAGE line has " + COUNTERS + " numbers, not " + v.length);
    }
    return new NodeUsage(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
  }

  /** The values of a USAGE line, in the order {@link #of} reads them. */
  long[] values() {
    return new long[] {nanos, events, recordingNanos, toucherNanos, cpuNanos, gcNanos, gcCount, driverCpuNanos,
        journalBytes};
  }

  /** What each counter grew by since {@code earlier}. */
  NodeUsage minus(NodeUsage earlier) {
    long[] now = values();
    long[] before = earlier.values();
    long[] change = new long[COUNTERS];
    for (int k = 0; k < COUNTERS; k++) {
      change[k] = now[k] - before[k];
    }
    return of(change);
  }
}
