package org.raftref.tracecheck.trace;

import java.util.List;

/**
 * A message as a trace records it: the Raft message of {@code org.raftref.message} with its field names, and
 * entries reduced to their term and value digest. Two messages are equal when every field is (which is how
 * the spec's network, a bag of records, tells them apart).
 */
public sealed interface TracedMessage {

  /** The spec's {@code mtype}, also the Java record's simple name. */
  String type();

  int from();

  int to();

  int term();

  /** RequestVote RPC (Figure 2). */
  record RequestVoteRequest(int from, int to, int term, int lastLogTerm, int lastLogIndex)
      implements TracedMessage {
    @Override
    public String type() {
      return "RequestVoteRequest";
    }
  }

  /** Reply to {@link RequestVoteRequest}. */
  record RequestVoteResponse(int from, int to, int term, boolean voteGranted) implements TracedMessage {
    @Override
    public String type() {
      return "RequestVoteResponse";
    }
  }

  /** AppendEntries RPC (Figure 2). */
  record AppendEntriesRequest(int from, int to, int term, int prevLogIndex, int prevLogTerm,
      List<TracedEntry> entries, int leaderCommit) implements TracedMessage {
    public AppendEntriesRequest {
      entries = List.copyOf(entries);
    }

    @Override
    public String type() {
      return "AppendEntriesRequest";
    }
  }

  /** Reply to {@link AppendEntriesRequest}. */
  record AppendEntriesResponse(int from, int to, int term, boolean success, int matchIndex, int conflictTerm,
      int conflictIndex) implements TracedMessage {
    @Override
    public String type() {
      return "AppendEntriesResponse";
    }
  }
}
