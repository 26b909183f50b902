package org.raftref.core;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceSink;

/**
 * A trace sink that keeps every event with a copy of the few post-state fields tests look at. The view a sink
 * receives is valid only during the call, so the fields are copied, not the view.
 */
final class RecordingSink implements TraceSink {

  /** One node step and the node's state right after it. */
  record Event(TraceAction action, int node, long term, Role role, int votedFor, long commitIndex,
      long lastLogIndex, long lastLogTerm, @Nullable Message received, @Nullable Message sent) {}

  private final List<Event> events = new ArrayList<>();

  @Override
  public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
      @Nullable Message sent) {
    events.add(new Event(action, post.id(), post.currentTerm(), Role.valueOf(post.roleName()),
        post.votedFor(), post.commitIndex(), post.lastLogIndex(), post.logTerm(post.lastLogIndex()), received,
        sent));
  }

  @Override
  public void environmentStep(TraceAction action, int node, @Nullable Message message) {
    throw new AssertionError("the core must not emit environment steps, but emitted " + action);
  }

  /** The events recorded since the last call, oldest first; forgets them. */
  List<Event> drain() {
    List<Event> drained = List.copyOf(events);
    events.clear();
    return drained;
  }

  /** The actions of the events recorded since the last drain, oldest first; forgets them. */
  List<TraceAction> drainActions() {
    return drain().stream().map(Event::action).toList();
  }

  int size() {
    return events.size();
  }
}
