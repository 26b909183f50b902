package org.raftref.core;

/**
 * The persistent state besides the log (Figure 2): the latest term the node has seen and whom it voted for
 * in that term (0 for nobody). Must be durable before any message that depends on it leaves the node.
 */
public record HardState(long currentTerm, int votedFor) {

  public static final HardState INITIAL = new HardState(0, 0);

  public HardState {
    if (currentTerm < 0) {
      throw new IllegalArgumentException("currentTerm must not be negative, was " + currentTerm);
    }
    if (votedFor < 0) {
      throw new IllegalArgumentException("votedFor must be a node id or 0, was " + votedFor);
    }
  }
}
