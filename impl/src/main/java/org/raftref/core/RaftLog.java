package org.raftref.core;

import java.util.ArrayList;
import java.util.List;
import org.raftref.message.LogEntry;

/**
 * The in-memory log of one node: entries at 1-based indexes. Index 0 stands for the empty prefix, of term 0.
 * Invariant: terms are non-decreasing along the log (a leader only appends entries of its own term, which
 * is at least every term before it).
 */
final class RaftLog {

  private final ArrayList<LogEntry> entries;

  RaftLog(List<LogEntry> initial) {
    this.entries = new ArrayList<>(initial);
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
  }

  /** Removes the entries at {@code index} and after. */
  void truncateFrom(long index) {
    entries.subList((int) (index - 1), entries.size()).clear();
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
