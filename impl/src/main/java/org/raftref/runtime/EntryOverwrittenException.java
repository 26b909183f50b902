package org.raftref.runtime;

/**
 * The leader appended the command at {@link #index()} in {@link #term()}, then lost its leadership, and a
 * later leader's entry took that index (§5.3: a follower's conflicting entries are replaced). The command
 * will not be applied from that entry; it was not applied anywhere unless a retry of it was.
 */
public final class EntryOverwrittenException extends ProposalFailedException {

  private static final long serialVersionUID = 1L;

  private final long index;
  private final long term;

  public EntryOverwrittenException(long index, long term, long replacementTerm) {
    super("the entry at index " + index + " of term " + term + " was replaced by "
        + (replacementTerm == 0 ? "a shorter log" : "an entry of term " + replacementTerm)
        + ": leadership changed before it committed", null);
    this.index = index;
    this.term = term;
  }

  public long index() {
    return index;
  }

  public long term() {
    return term;
  }
}
