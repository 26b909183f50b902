package org.raftref.trace;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.Message;

/**
 * Receives one call per state change. The core calls {@link #nodeStep} exactly once per step, after the
 * step, with the node's post-state; drivers call {@link #environmentStep} for crashes and network faults.
 *
 * <p>Implementations are called on the thread that drives the node; a sink shared between nodes driven by
 * different threads must be thread-safe. A sink must not call back into the node.
 */
public interface TraceSink {

  /** The default sink: does nothing and allocates nothing. */
  TraceSink NONE = new TraceSink() {
    @Override
    public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
        @Nullable Message sent) {}

    @Override
    public void environmentStep(TraceAction action, int node, @Nullable Message message) {}
  };

  /**
   * A node took {@code action}.
   *
   * @param post the node after the step; valid only during this call
   * @param received the message the step consumed (or, for {@code UpdateTerm}, looked at), if any
   * @param sent the message the step put into the node's outbox, if any
   */
  void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received, @Nullable Message sent);

  /** The environment took {@code action} on {@code node} ({@code Restart}) or on {@code message}. */
  void environmentStep(TraceAction action, int node, @Nullable Message message);
}
