package org.raftref.message;

import org.checkerframework.checker.nullness.qual.Nullable;

/** RequestVote RPC (Figure 2): a candidate asks {@code to} for its vote in {@code term}. */
public record RequestVoteRequest(int from, int to, long term, long lastLogTerm, long lastLogIndex)
    implements Message {

  @Override
  public @Nullable String malformation() {
    String base = Message.super.malformation();
    if (base != null) {
      return base;
    }
    if (lastLogIndex < 0 || lastLogTerm < 0) {
      return "lastLogIndex and lastLogTerm must not be negative, were " + lastLogIndex + " and " + lastLogTerm;
    }
    if (lastLogTerm > term) {
      return "lastLogTerm " + lastLogTerm + " is above the candidate's term " + term;
    }
    if ((lastLogIndex == 0) != (lastLogTerm == 0)) {
      return "lastLogIndex " + lastLogIndex + " and lastLogTerm " + lastLogTerm + " must both be 0 or both positive";
    }
    return null;
  }
}
