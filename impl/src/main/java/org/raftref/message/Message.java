package org.raftref.message;

/**
 * A Raft message: one of the four RPC requests and replies of Figure 2 of the paper.
 *
 * <p>Every message names its sender ({@code from}, the spec's {@code msource}), its receiver ({@code to},
 * {@code mdest}) and the sender's term ({@code term}, {@code mterm}). Node ids are positive integers.
 */
public sealed interface Message
    permits RequestVoteRequest, RequestVoteResponse, AppendEntriesRequest, AppendEntriesResponse {

  /** The sending node's id (the spec's {@code msource}). */
  int from();

  /** The receiving node's id (the spec's {@code mdest}). */
  int to();

  /** The sender's current term when it sent the message (the spec's {@code mterm}). */
  long term();

  /** The spec's name of this message type ({@code mtype}), also used in traces. */
  default String type() {
    return getClass().getSimpleName();
  }

  /**
   * Returns a description of what makes this message impossible in any Raft run, or {@code null} if it is
   * well formed. Only shape is checked here (signs, index/term relations); whether the sender is a member is
   * the receiver's business.
   */
  default @org.checkerframework.checker.nullness.qual.Nullable String malformation() {
    if (from() <= 0) {
      return "from must be a positive node id, was " + from();
    }
    if (to() <= 0) {
      return "to must be a positive node id, was " + to();
    }
    if (term() < 0) {
      return "term must not be negative, was " + term();
    }
    return null;
  }
}
