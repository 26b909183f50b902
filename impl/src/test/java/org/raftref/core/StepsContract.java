package org.raftref.core;

import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/**
 * The event sequences docs/steps.md allows for each input, as regular expressions over the actions' names,
 * each preceded by a space ({@code " Timeout BecomeLeader AppendEntries"}). {@code peers} is the number of
 * other members.
 */
final class StepsContract {

  private StepsContract() {}

  static String joined(java.util.List<RecordingSink.Event> events) {
    StringBuilder actions = new StringBuilder();
    events.forEach(e -> actions.append(' ').append(e.action()));
    return actions.toString();
  }

  /** Nothing; a {@code Timeout} (and, if it won alone, leading); or a leader's heartbeat. */
  static String tick(int peers) {
    String ae = " AppendEntries".repeat(peers);
    return "( Timeout( BecomeLeader" + ae + ")?|" + ae + ")?";
  }

  /** A leader's {@code ClientRequest} and one {@code AppendEntries} per peer; nothing elsewhere. */
  static String propose(int peers) {
    return "( ClientRequest" + " AppendEntries".repeat(peers) + ")?";
  }

  /** An accepted message: maybe {@code UpdateTerm}, its handler, and the steps that handler may cause. */
  static String accepted(Message m, int peers) {
    String handler;
    if (m instanceof RequestVoteRequest) {
      handler = " HandleRequestVoteRequest";
    } else if (m instanceof RequestVoteResponse) {
      handler = " HandleRequestVoteResponse( BecomeLeader" + " AppendEntries".repeat(peers) + ")?";
    } else if (m instanceof AppendEntriesRequest) {
      handler = " HandleAppendEntriesRequest";
    } else {
      handler = " HandleAppendEntriesResponse( AdvanceCommitIndex)?( AppendEntries)?";
    }
    return "( UpdateTerm)?" + handler;
  }

  /** {@code advance}: {@code Persist} if the Ready persisted or sent something, then maybe a commit. */
  static String advance() {
    return "( Persist( AdvanceCommitIndex)?)?";
  }
}
