package org.raftref.runtime;

/**
 * The server is not the leader, so it did not take the command into its log (§5.1: clients talk to the
 * leader). {@link #leaderHint()} is the leader this server knows of, to try next.
 */
public final class NotLeaderException extends ProposalFailedException {

  private static final long serialVersionUID = 1L;

  private final int leaderHint;
  private final long term;

  public NotLeaderException(int nodeId, int leaderHint, long term) {
    super("node " + nodeId + " is not the leader"
        + (leaderHint == 0 ? " and knows no leader" : "; node " + leaderHint + " leads") + " (term " + term + ")",
        null);
    this.leaderHint = leaderHint;
    this.term = term;
  }

  /** The leader of {@link #term()} as far as this server knows; 0 if it knows none (an election runs). */
  public int leaderHint() {
    return leaderHint;
  }

  /** The server's current term when it refused. */
  public long term() {
    return term;
  }
}
