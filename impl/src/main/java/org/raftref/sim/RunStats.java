package org.raftref.sim;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceSink;

/**
 * Counts what a run's trace reports (leaders per term, dropped and duplicated messages, restarts) and
 * passes every event on to another sink. Counting from the trace means the numbers describe exactly the
 * events a trace file of the same run would hold.
 */
final class RunStats implements TraceSink {

  private final TraceSink next;
  private final SortedMap<Long, Integer> leaderOfTerm = new TreeMap<>();
  private long events;
  private long dropped;
  private long duplicated;
  private long restarts;

  RunStats(TraceSink next) {
    this.next = next;
  }

  @Override
  public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
      @Nullable Message sent) {
    events++;
    if (action == TraceAction.BecomeLeader) {
      leaderOfTerm.put(post.currentTerm(), post.id());
    }
    next.nodeStep(action, post, received, sent);
  }

  @Override
  public void environmentStep(TraceAction action, int node, @Nullable Message message) {
    events++;
    switch (action) {
      case DropMessage -> dropped++;
      case DuplicateMessage -> duplicated++;
      case Restart -> restarts++;
      default -> { }
    }
    next.environmentStep(action, node, message);
  }

  /** Term → the node that became leader in it, for every term that had a leader. */
  SortedMap<Long, Integer> leaderOfTerm() {
    return Collections.unmodifiableSortedMap(leaderOfTerm);
  }

  long events() {
    return events;
  }

  long dropped() {
    return dropped;
  }

  long duplicated() {
    return duplicated;
  }

  long restarts() {
    return restarts;
  }
}
