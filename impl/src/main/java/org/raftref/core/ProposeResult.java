package org.raftref.core;

/** What {@link RaftNode#propose} did with a command. */
public sealed interface ProposeResult {

  /** The command was appended to the leader's log at {@code index} in {@code term}; not yet committed. */
  record Accepted(long index, long term) implements ProposeResult {}

  /**
   * This node is not the leader. {@code leaderHint} is the leader of {@code term} as far as this node knows,
   * or 0 when it does not know one.
   */
  record NotLeader(int leaderHint, long term) implements ProposeResult {}
}
