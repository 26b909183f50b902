package org.raftref.core;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.LogEntry;

/**
 * The in-memory log of one node: entries at 1-based indexes. Index 0 stands for the empty prefix, of term 0.
 * Invariant: terms are non-decreasing along the log (a leader only appends entries of its own term, which
 * is at least every term before it).
 */
final class RaftLog {

  private final ArrayList<LogEntry> entries;
  /**
   * The log's terms as runs {@code {term, lastIndex}}, in index order: run k holds the entries after run
   * k-1's last index up to its own, all of its term. Kept up to date by every append and truncation (from
   * the entries actually stored, whatever their terms), so that reading them costs O(runs), not O(entries):
   * a trace event records the log this way after every step.
   */
  private final ArrayList<long[]> runs = new ArrayList<>();

  RaftLog(List<LogEntry> initial) {
    this.entries = new ArrayList<>(initial.size());
    for (LogEntry entry : initial) {
      append(entry);
    }
  }

  long lastIndex() {
    return entries.size();
  }

  long lastTerm() {
    return term(lastIndex());
  }

  /** The term at {@code index}, 0 ≤ index ≤ lastIndex; 0 for index 0. */
  long term(long index) {
    return index == 0 ? 0 : entry(index).term();
  }

  LogEntry entry(long index) {
    if (index < 1 || index > entries.size()) {
      throw new IndexOutOfBoundsException("log index " + index + " outside 1.." + entries.size());
    }
    return entries.get((int) (index - 1));
  }

  void append(LogEntry entry) {
    entries.add(entry);
    long @Nullable [] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
    if (last != null && last[0] == entry.term()) {
      last[1] = entries.size();
    } else {
      runs.add(new long[] {entry.term(), entries.size()});
    }
  }

  /** Removes the entries at {@code index} and after. */
  void truncateFrom(long index) {
    entries.subList((int) (index - 1), entries.size()).clear();
    while (!runs.isEmpty() && runStart(runs.size() - 1) >= index) {
      runs.remove(runs.size() - 1);
    }
    if (!runs.isEmpty()) {
      long[] last = runs.get(runs.size() - 1);
      last[1] = Math.min(last[1], index - 1);
    }
  }

  /** The first index of run {@code k}. */
  private long runStart(int k) {
    return k == 0 ? 1 : runs.get(k - 1)[1] + 1;
  }

  /** The runs of equal terms, {@code {term, lastIndex}} in index order (copies). */
  List<long[]> runs() {
    List<long[]> copy = new ArrayList<>(runs.size());
    for (long[] run : runs) {
      copy.add(run.clone());
    }
    return copy;
  }

  int runCount() {
    return runs.size();
  }

  long runTerm(int k) {
    return runs.get(k)[0];
  }

  long runLastIndex(int k) {
    return runs.get(k)[1];
  }

  /** A copy of the entries from {@code from} to {@code to}, both inclusive; empty if from > to. */
  List<LogEntry> slice(long from, long to) {
    if (from > to) {
      return List.of();
    }
    return List.copyOf(entries.subList((int) (from - 1), (int) to));
  }

  /**
   * The entries from {@code from} on, at most {@code maxCount} of them and at most {@code maxBytes} command
   * bytes, but at least one if there is one.
   */
  List<LogEntry> batchFrom(long from, int maxCount, long maxBytes) {
    long to = from - 1;
    long bytes = 0;
    while (to < lastIndex() && to - from + 1 < maxCount) {
      long size = entry(to + 1).command().length;
      if (to >= from && bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      to++;
    }
    return slice(from, to);
  }

  /** True if the log holds an entry at {@code index} with {@code term} (always true for index 0). */
  boolean matches(long index, long term) {
    return index <= lastIndex() && term(index) == term;
  }

  /** The first index of the run of entries of term {@code term(index)} that contains {@code index}. */
  long firstIndexOfTermAt(long index) {
    long term = term(index);
    long first = index;
    while (first > 1 && term(first - 1) == term) {
      first--;
    }
    return first;
  }

  /** The last index holding an entry of {@code term}, or 0 if there is none. */
  long lastIndexOfTerm(long term) {
    for (long index = lastIndex(); index >= 1; index--) {
      long t = term(index);
      if (t == term) {
        return index;
      }
      if (t < term) {
        return 0;
      }
    }
    return 0;
  }
}
