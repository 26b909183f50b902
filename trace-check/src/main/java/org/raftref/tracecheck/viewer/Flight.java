package org.raftref.tracecheck.viewer;

import org.raftref.tracecheck.trace.TracedMessage;

/**
 * One copy of one message, from the step that produced it to the step that ended it: what the viewer draws
 * as an arrow. Event positions are 1-based indexes into the trace's events; 0 means "no such event".
 *
 * @param id position in {@link MessageFlows#flights()}, 0-based
 * @param message the message; equal messages are copies of each other (every field is compared)
 * @param createdAt the step that put the message into its sender's outbox ({@code Timeout},
 *     {@code AppendEntries}, {@code HandleRequestVoteRequest}, {@code HandleAppendEntriesRequest}), or for a
 *     copy made by the network, the {@code DuplicateMessage} event
 * @param sentAt the step at which it entered the network: the sender's {@code Persist} after
 *     {@code createdAt}, or the {@code DuplicateMessage} event for a copy; 0 if it never did
 * @param duplicateOf for a network-made copy, the id of the copy it was made from; otherwise -1
 * @param fate how it ended
 * @param endAt the event that ended it (receive, drop, restart), or 0 if it outlived the trace
 * @param lookedAt the {@code UpdateTerm} event that looked at it before the handler consumed it, or 0
 */
public record Flight(int id, TracedMessage message, int createdAt, int sentAt, int duplicateOf, Fate fate,
    int endAt, int lookedAt) {

  /** How a copy of a message ended. */
  public enum Fate {
    /** consumed by a {@code Handle…} step of its receiver (at {@code endAt}) */
    RECEIVED,
    /** taken out of the network by a {@code DropMessage} event (at {@code endAt}) */
    DROPPED,
    /** still in its sender's outbox when the sender restarted (at {@code endAt}): never sent */
    LOST_AT_RESTART,
    /** still in the network when the trace ends */
    IN_FLIGHT_AT_END,
    /** still in its sender's outbox when the trace ends */
    UNSENT_AT_END;

    /** The lower-case name the page uses, such as {@code "received"}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * True if the receiver consumed it although it never entered the network: its sender had not persisted
   * yet, which breaks the durability contract (the spec has no step for such a receive).
   */
  public boolean receivedUnsent() {
    return fate == Fate.RECEIVED && sentAt == 0;
  }
}
