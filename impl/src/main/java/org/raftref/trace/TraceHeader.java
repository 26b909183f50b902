package org.raftref.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the first line of a trace says about the cluster (see {@code docs/trace-format.md}): the members
 * (the spec's {@code Server}), the batch bound of {@code AppendEntries}, and free text naming the run.
 *
 * @param members every node's id; stored ascending
 * @param maxEntriesPerAppend the most entries one AppendEntriesRequest carries
 * @param origin where the trace comes from, such as the simulator's seed; must itself be deterministic
 */
public record TraceHeader(List<Integer> members, int maxEntriesPerAppend, String origin) {

  public TraceHeader {
    List<Integer> sorted = new ArrayList<>(members);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("members must name at least one node");
    }
    for (int k = 0; k < sorted.size(); k++) {
      if (sorted.get(k) <= 0 || (k > 0 && sorted.get(k).equals(sorted.get(k - 1)))) {
        throw new IllegalArgumentException("members must be distinct positive ids, were " + members);
      }
    }
    if (maxEntriesPerAppend < 1) {
      throw new IllegalArgumentException("maxEntriesPerAppend must be at least 1, was " + maxEntriesPerAppend);
    }
    members = List.copyOf(sorted);
  }
}
