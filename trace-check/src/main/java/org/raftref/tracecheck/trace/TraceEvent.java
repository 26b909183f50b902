package org.raftref.tracecheck.trace;

import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.TraceAction;

/**
 * One event of a trace: one step of docs/steps.md, with where it was read from.
 *
 * @param file the trace file it was read from
 * @param line its 1-based line in that file
 * @param seq its {@code seq} field (its position in its own file)
 * @param node the node that took the step, or 0 for {@code DropMessage} and {@code DuplicateMessage}
 * @param peer the peer of a step with a message, or 0
 * @param value the command's digest of a {@code ClientRequest}, or null
 * @param received the message the step consumed or looked at ({@code recv}), or null
 * @param sent the message the step put into the outbox ({@code sent}), or null
 * @param message the message of a network event ({@code msg}), or null
 * @param state the node's state after a node step, or null for environment steps
 */
public record TraceEvent(Path file, int line, int seq, TraceAction action, int node, int peer,
    @Nullable String value, @Nullable TracedMessage received, @Nullable TracedMessage sent,
    @Nullable TracedMessage message, @Nullable NodeState state) {

  /** "run.ndjson line 7", how messages name this event's place. */
  public String where() {
    return file + " line " + line;
  }

  /** The node this event belongs to, for "the same node's previous event": the receiver of a network event. */
  public int owner() {
    TracedMessage m = message;
    return node != 0 || m == null ? node : m.to();
  }
}
