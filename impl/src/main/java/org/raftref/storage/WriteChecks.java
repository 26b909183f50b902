package org.raftref.storage;

import java.util.List;
import org.raftref.message.LogEntry;

/** Argument checks shared by the storages: a call that breaks them is a bug in the caller. */
final class WriteChecks {

  private WriteChecks() {}

  /**
   * Checks a {@link Storage#replaceLog} call against the log's last index, the term of the entry before
   * {@code firstIndex} (0 for none) and the current term of the staged hard state.
   */
  static void checkReplace(long firstIndex, List<LogEntry> entries, long lastIndex, long termBefore,
      long currentTerm) {
    if (firstIndex < 1 || firstIndex > lastIndex + 1) {
      throw new IllegalArgumentException(
          "replaceLog firstIndex " + firstIndex + " must be in 1.." + (lastIndex + 1));
    }
    long previous = Math.max(termBefore, 1);
    for (int i = 0; i < entries.size(); i++) {
      long term = entries.get(i).term();
      if (term < previous || term > currentTerm) {
        throw new IllegalArgumentException("replaceLog entry " + (firstIndex + i) + " has term " + term
            + ": terms must be positive, non-decreasing and at most currentTerm " + currentTerm
            + " (save the hard state first)");
      }
      previous = term;
    }
  }

  /** Checks that {@code next} does not move the term back: terms never decrease (Figure 2). */
  static void checkHardState(long currentTerm, long nextTerm) {
    if (nextTerm < currentTerm) {
      throw new IllegalArgumentException(
          "saveHardState term " + nextTerm + " is below the current term " + currentTerm);
    }
  }
}
