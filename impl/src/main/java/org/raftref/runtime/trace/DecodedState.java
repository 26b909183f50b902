package org.raftref.runtime.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.LogEntry;
import org.raftref.trace.NodeStateView;

/**
 * A node's state as a journal record holds it ({@link JournalFormat}), read back into a
 * {@link NodeStateView} for the sink that {@link JournalReader} replays into. One instance is reused for
 * every record. It knows what a trace records (terms as runs, the leader's indexes, the candidate's votes)
 * and of the log's entries only the one a {@code ClientRequest} appended.
 */
final class DecodedState implements NodeStateView {

  private static final String[] ROLES = {"Follower", "Candidate", "Leader"};

  private final int[] members;
  private final long[] nextIndex;
  private final long[] matchIndex;
  private final boolean[] votes;
  private int id;
  private long currentTerm;
  private int votedFor;
  private String role = ROLES[0];
  private long commitIndex;
  private long lastLogIndex;
  /** Run k is {@code runs[2k]} (its term) and {@code runs[2k + 1]} (its last index). */
  private long[] runs = new long[16];
  private int runCount;
  private @Nullable LogEntry appended;

  DecodedState(int[] members) {
    this.members = members.clone();
    this.nextIndex = new long[members.length];
    this.matchIndex = new long[members.length];
    this.votes = new boolean[members.length];
  }

  /** Reads the state part of a record. */
  void read(ByteBuffer in) throws IOException {
    id = in.getInt();
    currentTerm = in.getLong();
    votedFor = in.getInt();
    byte code = in.get();
    if (code == JournalFormat.OTHER_ROLE) {
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IOException("a role name of " + length + " bytes does not fit the record");
      }
      byte[] name = new byte[length];
      in.get(name);
      role = new String(name, StandardCharsets.UTF_8);
    } else if (code >= 0 && code < ROLES.length) {
      role = ROLES[code];
    } else {
      throw new IOException("no role has number " + code);
    }
    commitIndex = in.getLong();
    lastLogIndex = in.getLong();
    runCount = in.getInt();
    if (runCount < 0 || runCount > in.remaining() / 16) {
      throw new IOException("a log of " + runCount + " runs does not fit the record");
    }
    if (runs.length < 2 * runCount) {
      runs = new long[Math.max(2 * runCount, 2 * runs.length)];
    }
    for (int k = 0; k < 2 * runCount; k++) {
      runs[k] = in.getLong();
    }
    if (role.equals("Leader")) {
      for (int k = 0; k < members.length; k++) {
        if (members[k] != id) {
          nextIndex[k] = in.getLong();
          matchIndex[k] = in.getLong();
        }
      }
    } else if (role.equals("Candidate")) {
      for (int k = 0; k < members.length; k++) {
        votes[k] = in.get() != 0;
      }
    }
    appended = null;
  }

  /** The entry a ClientRequest appended: the one entry of the log this state can give. */
  void appended(LogEntry entry) {
    appended = entry;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public int[] members() {
    return members.clone();
  }

  @Override
  public long currentTerm() {
    return currentTerm;
  }

  @Override
  public int votedFor() {
    return votedFor;
  }

  @Override
  public String roleName() {
    return role;
  }

  @Override
  public long commitIndex() {
    return commitIndex;
  }

  @Override
  public long lastLogIndex() {
    return lastLogIndex;
  }

  @Override
  public long logTerm(long index) {
    for (int k = 0; k < runCount; k++) {
      if (index <= runs[2 * k + 1]) {
        return index <= 0 ? 0 : runs[2 * k];
      }
    }
    if (index <= 0) {
      return 0;
    }
    throw new IllegalArgumentException("index " + index + " is beyond the recorded log's last run");
  }

  @Override
  public LogEntry logEntry(long index) {
    LogEntry entry = appended;
    if (entry == null || index != lastLogIndex) {
      throw new IllegalStateException("a journal records the log's entries only as a ClientRequest appends "
          + "them; entry " + index + " is not one");
    }
    return entry;
  }

  @Override
  public int logRunCount() {
    return runCount;
  }

  @Override
  public long logRunTerm(int k) {
    return runs[2 * k];
  }

  @Override
  public long logRunLastIndex(int k) {
    return runs[2 * k + 1];
  }

  @Override
  public long nextIndex(int peer) {
    return role.equals("Leader") ? nextIndex[position(peer)] : 0;
  }

  @Override
  public long matchIndex(int peer) {
    return role.equals("Leader") ? matchIndex[position(peer)] : 0;
  }

  @Override
  public boolean voteGranted(int peer) {
    return role.equals("Candidate") && votes[position(peer)];
  }

  private int position(int member) {
    for (int k = 0; k < members.length; k++) {
      if (members[k] == member) {
        return k;
      }
    }
    throw new IllegalArgumentException(member + " is not a member of " + java.util.Arrays.toString(members));
  }
}
