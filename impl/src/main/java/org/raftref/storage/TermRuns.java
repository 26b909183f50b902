package org.raftref.storage;

import java.util.Arrays;

/**
 * The term of every log index, kept as runs (a run is the first index of a term and the term): terms change
 * rarely, so this is a few numbers per term, not one per entry. Not thread-safe.
 */
final class TermRuns {

  private long[] starts = new long[8];
  private long[] terms = new long[8];
  private int runs;
  private long lastIndex;

  long lastIndex() {
    return lastIndex;
  }

  /** The term at {@code index} (0 for index 0); 0 ≤ index ≤ lastIndex. */
  long termAt(long index) {
    if (index == 0) {
      return 0;
    }
    int run = Arrays.binarySearch(starts, 0, runs, index);
    return terms[run >= 0 ? run : -run - 2];
  }

  /** Appends an entry of {@code term} at lastIndex + 1. */
  void append(long term) {
    lastIndex++;
    if (runs > 0 && terms[runs - 1] == term) {
      return;
    }
    if (runs == starts.length) {
      starts = Arrays.copyOf(starts, runs * 2);
      terms = Arrays.copyOf(terms, runs * 2);
    }
    starts[runs] = lastIndex;
    terms[runs] = term;
    runs++;
  }

  /** Forgets the entries after {@code keep}. */
  void truncateAfter(long keep) {
    while (runs > 0 && starts[runs - 1] > keep) {
      runs--;
    }
    lastIndex = Math.min(lastIndex, keep);
  }
}
