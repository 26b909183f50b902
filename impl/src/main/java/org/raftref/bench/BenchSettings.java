package org.raftref.bench;

/**
 * What one benchmark run does; the options of {@code raftref bench}, checked. The defaults are peerbench's
 * knobs' defaults, so that both measure the same thing.
 *
 * @param reps repetitions, each with fresh JVMs and data directories
 * @param seq sequential writes in phase (a)
 * @param seqMaxSeconds phase (a) stops after this long even if fewer writes were done
 * @param seqWarmup sequential writes of the warm-up, after its closed-loop part
 * @param concurrency writes outstanding in the closed loops (warm-up and phase (b))
 * @param tputSeconds the length of phase (b)
 * @param warmupSeconds the closed-loop part of the warm-up
 * @param payload bytes of each command
 * @param nodeHeapBytes maximum heap of each node JVM
 * @param timeline print completed writes per second of each closed-loop phase
 */
record BenchSettings(int reps, int seq, double seqMaxSeconds, int seqWarmup, int concurrency, double tputSeconds,
    double warmupSeconds, int payload, long nodeHeapBytes, boolean timeline) {

  /** How node JVMs start with {@code -Xms}: peerbench's 256 MiB, or less if the heap is smaller. */
  long nodeInitialHeapBytes() {
    return Math.min(256L << 20, nodeHeapBytes);
  }
}
