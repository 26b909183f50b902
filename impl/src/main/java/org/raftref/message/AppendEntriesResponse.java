package org.raftref.message;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reply to {@link AppendEntriesRequest}. On success {@code matchIndex} is the last index the request made
 * match (its {@code prevLogIndex} plus its entry count). On failure {@code conflictTerm} and
 * {@code conflictIndex} let the leader skip a whole conflicting term at once (see {@code docs/steps.md}).
 */
public record AppendEntriesResponse(
    int from, int to, long term, boolean success, long matchIndex, long conflictTerm, long conflictIndex)
    implements Message {

  @Override
  public @Nullable String malformation() {
    String base = Message.super.malformation();
    if (base != null) {
      return base;
    }
    if (matchIndex < 0 || conflictTerm < 0 || conflictIndex < 0) {
      return "matchIndex, conflictTerm and conflictIndex must not be negative, were "
          + matchIndex + ", " + conflictTerm + ", " + conflictIndex;
    }
    return null;
  }
}
