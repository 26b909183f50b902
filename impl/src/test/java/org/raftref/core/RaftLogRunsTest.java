package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.raftref.message.LogEntry;

/**
 * The log keeps its term runs as it goes (a trace event records them after every step, so reading them must
 * not cost a pass over the whole log). Whatever the appends and truncations, and whatever the terms (even
 * decreasing ones, which a broken core might append), the runs are exactly those a pass over the entries finds.
 */
class RaftLogRunsTest {

  /** One operation: a term to append (> 0), or a truncation from index -op (≤ 0 means from index 1 - op). */
  @Provide
  Arbitrary<List<Integer>> operations() {
    Arbitrary<Integer> append = Arbitraries.integers().between(1, 4);
    Arbitrary<Integer> truncate = Arbitraries.integers().between(-12, 0);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, append), net.jqwik.api.Tuple.of(1, truncate)).list().ofMaxSize(60);
  }

  @Property(tries = 1000)
  void runsAreThoseAPassOverTheEntriesFinds(@ForAll("operations") List<Integer> operations,
      @ForAll("operations") List<Integer> initialTerms) {
    List<LogEntry> initial = new ArrayList<>();
    for (int term : initialTerms) {
      if (term > 0) {
        initial.add(new LogEntry(term, new byte[] {1}));
      }
    }
    RaftLog log = new RaftLog(initial);
    assertEquals(render(scan(log)), render(log.runs()), "after construction from " + initialTerms);
    for (int op : operations) {
      if (op > 0) {
        log.append(new LogEntry(op, new byte[] {1}));
      } else {
        long from = 1 - op;
        if (from <= log.lastIndex()) {
          log.truncateFrom(from);
        }
      }
      assertEquals(render(scan(log)), render(log.runs()), "after " + op + " in " + operations);
    }
  }

  private static List<long[]> scan(RaftLog log) {
    List<long[]> runs = new ArrayList<>();
    for (long index = 1; index <= log.lastIndex(); index++) {
      long term = log.term(index);
      if (!runs.isEmpty() && runs.get(runs.size() - 1)[0] == term) {
        runs.get(runs.size() - 1)[1] = index;
      } else {
        runs.add(new long[] {term, index});
      }
    }
    return runs;
  }

  private static String render(List<long[]> runs) {
    StringBuilder text = new StringBuilder();
    for (long[] run : runs) {
      text.append('[').append(run[0]).append(',').append(run[1]).append(']');
    }
    return text.toString();
  }
}
