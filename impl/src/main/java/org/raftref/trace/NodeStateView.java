package org.raftref.trace;

import org.raftref.message.LogEntry;

/**
 * A read-only view of one node's protocol state, as a trace sink records it after each step. Names follow
 * the spec's variables. Index arguments are 1-based log indexes.
 */
public interface NodeStateView {

  /** This node's id. */
  int id();

  /** The ids of all members, this node included, in ascending order. */
  int[] members();

  long currentTerm();

  /** The node voted for in {@link #currentTerm()}, or 0 for none. */
  int votedFor();

  /** {@code "Follower"}, {@code "Candidate"} or {@code "Leader"}. */
  String roleName();

  long commitIndex();

  long lastLogIndex();

  /** The term of the entry at {@code index}; 0 for index 0. */
  long logTerm(long index);

  /** The entry at {@code index}, 1 ≤ index ≤ {@link #lastLogIndex()}. */
  LogEntry logEntry(long index);

  /** Leader only (otherwise 0): the next index to send to {@code peer}. */
  long nextIndex(int peer);

  /** Leader only (otherwise 0): the highest index known replicated on {@code peer}. */
  long matchIndex(int peer);

  /** Candidate only: whether {@code peer} (or this node itself) granted its vote in this term. */
  boolean voteGranted(int peer);
}
