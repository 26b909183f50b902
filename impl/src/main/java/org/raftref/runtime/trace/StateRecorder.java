package org.raftref.runtime.trace;

import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.trace.NodeStateView;

/**
 * Encodes a node's state after a step for {@link JournalWriter}, as the changes from the state the previous
 * node step recorded ({@link JournalFormat}, "A state"). Between two steps of a busy leader only the log's
 * last index moves, by one, so a ClientRequest records 3 bytes of state instead of about a hundred. The previous
 * state is kept here as plain values, not as the node's objects, so it is exactly what was recorded.
 *
 * <p>Use: {@link #measure} the state, make that much room, {@link #write} it. Not thread-safe.
 */
final class StateRecorder {

  private final int[] members;
  private boolean recordedAny;
  private int id;
  private long currentTerm;
  private int votedFor;
  private String role = "";
  private long commitIndex;
  private long lastLogIndex;
  /** Run k is {@code runs[2k]} (its term) and {@code runs[2k + 1]} (its last index). */
  private long[] runs = new long[16];
  private int runCount;
  private final long[] nextIndex;
  private final long[] matchIndex;
  private final boolean[] votes;

  // What measure() found, for write().
  private @Nullable NodeStateView measured;
  private int changes;
  private byte[] otherRole = new byte[0];

  StateRecorder(int[] members) {
    this.members = members.clone();
    this.nextIndex = new long[members.length];
    this.matchIndex = new long[members.length];
    this.votes = new boolean[members.length];
  }

  /** Compares {@code post} with the state recorded last; returns the bytes {@link #write} will need. */
  int measure(NodeStateView post) {
    measured = post;
    String newRole = post.roleName();
    int found = 0;
    if (!recordedAny || post.id() != id || post.currentTerm() != currentTerm || post.votedFor() != votedFor
        || !newRole.equals(role)) {
      found |= JournalFormat.IDENTITY;
    }
    if (!recordedAny || post.commitIndex() != commitIndex) {
      found |= JournalFormat.COMMIT;
    }
    if (!recordedAny || post.lastLogIndex() != lastLogIndex) {
      found |= JournalFormat.LAST_INDEX;
    }
    found |= runChanges(post);
    boolean identity = (found & JournalFormat.IDENTITY) != 0;
    if (newRole.equals("Leader") && (identity || peersChanged(post))) {
      found |= JournalFormat.PEERS;
    } else if (newRole.equals("Candidate") && (identity || votesChanged(post))) {
      found |= JournalFormat.VOTES;
    }
    changes = found;
    int number = JournalFormat.MAX_NUMBER_BYTES;
    int bytes = 1 + 3 * number; // flags; commit, last index, last run
    if (identity) {
      bytes += 3 * number + 1;
      if (code(newRole) == JournalFormat.OTHER_ROLE) {
        otherRole = newRole.getBytes(StandardCharsets.UTF_8);
        bytes += number + otherRole.length;
      }
    }
    if ((found & JournalFormat.RUNS) != 0) {
      bytes += number + 2 * number * post.logRunCount();
    }
    return bytes + 2 * number * members.length + members.length;
  }

  private int runChanges(NodeStateView post) {
    int count = post.logRunCount();
    if (!recordedAny || count != runCount) {
      return JournalFormat.RUNS;
    }
    for (int k = 0; k < count; k++) {
      if (post.logRunTerm(k) != runs[2 * k] || (k < count - 1 && post.logRunLastIndex(k) != runs[2 * k + 1])) {
        return JournalFormat.RUNS;
      }
    }
    return count > 0 && post.logRunLastIndex(count - 1) != runs[2 * count - 1] ? JournalFormat.LAST_RUN : 0;
  }

  private boolean peersChanged(NodeStateView post) {
    for (int k = 0; k < members.length; k++) {
      if (members[k] != post.id()
          && (post.nextIndex(members[k]) != nextIndex[k] || post.matchIndex(members[k]) != matchIndex[k])) {
        return true;
      }
    }
    return false;
  }

  private boolean votesChanged(NodeStateView post) {
    for (int k = 0; k < members.length; k++) {
      if (post.voteGranted(members[k]) != votes[k]) {
        return true;
      }
    }
    return false;
  }

  private static byte code(String role) {
    return switch (role) {
      case "Follower" -> JournalFormat.FOLLOWER;
      case "Candidate" -> JournalFormat.CANDIDATE;
      case "Leader" -> JournalFormat.LEADER;
      default -> JournalFormat.OTHER_ROLE; // only a broken core has another role; it is recorded as it is
    };
  }

  /** Writes what {@link #measure} found into {@code out}, and remembers it as the state recorded last. */
  void write(RecordBuffer out) {
    NodeStateView post = measured;
    if (post == null) {
      throw new IllegalStateException("write() without measure()");
    }
    measured = null;
    out.put((byte) changes);
    if ((changes & JournalFormat.IDENTITY) != 0) {
      id = post.id();
      currentTerm = post.currentTerm();
      votedFor = post.votedFor();
      role = post.roleName();
      byte code = code(role);
      out.putNumber(id).putNumber(currentTerm).putNumber(votedFor).put(code);
      if (code == JournalFormat.OTHER_ROLE) {
        out.putNumber(otherRole.length).put(otherRole);
      }
    }
    if ((changes & JournalFormat.COMMIT) != 0) {
      out.putNumber(post.commitIndex() - commitIndex);
      commitIndex = post.commitIndex();
    }
    if ((changes & JournalFormat.LAST_INDEX) != 0) {
      out.putNumber(post.lastLogIndex() - lastLogIndex);
      lastLogIndex = post.lastLogIndex();
    }
    if ((changes & JournalFormat.RUNS) != 0) {
      runCount = post.logRunCount();
      if (runs.length < 2 * runCount) {
        runs = new long[Math.max(2 * runCount, 2 * runs.length)];
      }
      out.putNumber(runCount);
      for (int k = 0; k < runCount; k++) {
        runs[2 * k] = post.logRunTerm(k);
        runs[2 * k + 1] = post.logRunLastIndex(k);
        out.putNumber(runs[2 * k]).putNumber(runs[2 * k + 1]);
      }
    } else if ((changes & JournalFormat.LAST_RUN) != 0) {
      long lastIndex = post.logRunLastIndex(runCount - 1);
      out.putNumber(lastIndex - runs[2 * runCount - 1]);
      runs[2 * runCount - 1] = lastIndex;
    }
    if ((changes & JournalFormat.PEERS) != 0) {
      for (int k = 0; k < members.length; k++) {
        if (members[k] != id) {
          long next = post.nextIndex(members[k]);
          long match = post.matchIndex(members[k]);
          out.putNumber(next - nextIndex[k]).putNumber(match - matchIndex[k]);
          nextIndex[k] = next;
          matchIndex[k] = match;
        }
      }
    }
    if ((changes & JournalFormat.VOTES) != 0) {
      for (int k = 0; k < members.length; k++) {
        votes[k] = post.voteGranted(members[k]);
        out.put((byte) (votes[k] ? 1 : 0));
      }
    }
    recordedAny = true;
  }
}
