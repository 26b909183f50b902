package org.raftref.runtime.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.LogEntry;
import org.raftref.trace.NodeStateView;

/**
 * A node's state as the journal's records hold it ({@link JournalFormat}), read back into a
 * {@link NodeStateView} for the sink that {@link JournalReader} replays into. One instance is reused for
 * every record, and holds what the records before said: a record holds only what changed. It knows what a
 * trace records (terms as runs, the leader's indexes, the candidate's votes) and of the log's entries only
 * the one a {@code ClientRequest} appended.
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
  private boolean readAny;

  DecodedState(int[] members) {
    this.members = members.clone();
    this.nextIndex = new long[members.length];
    this.matchIndex = new long[members.length];
    this.votes = new boolean[members.length];
  }

  /** Reads the state part of a record: the parts that changed since the previous one ({@link JournalFormat}). */
  void read(ByteBuffer in) throws IOException {
    int changes = in.get();
    if (!readAny && (changes & JournalFormat.WHOLE) != JournalFormat.WHOLE) {
      throw new IOException("the first state holds only some parts (flags " + changes + ")");
    }
    if ((changes & JournalFormat.IDENTITY) != 0) {
      id = JournalFormat.intNumber(in, "the node id");
      currentTerm = JournalFormat.number(in);
      votedFor = JournalFormat.intNumber(in, "votedFor");
      role = readRole(in);
    }
    if ((changes & JournalFormat.COMMIT) != 0) {
      commitIndex += JournalFormat.number(in);
    }
    if ((changes & JournalFormat.LAST_INDEX) != 0) {
      lastLogIndex += JournalFormat.number(in);
    }
    if ((changes & JournalFormat.RUNS) != 0) {
      readRuns(in);
    } else if ((changes & JournalFormat.LAST_RUN) != 0) {
      if (runCount == 0) {
        throw new IOException("a new end of the last run, but the log has no runs");
      }
      runs[2 * runCount - 1] += JournalFormat.number(in);
    }
    boolean identity = (changes & JournalFormat.IDENTITY) != 0;
    if ((changes & JournalFormat.PEERS) != 0) {
      if (!role.equals("Leader")) {
        throw new IOException("a " + role + " with a leader's nextIndex and matchIndex");
      }
      for (int k = 0; k < members.length; k++) {
        if (members[k] != id) {
          nextIndex[k] += JournalFormat.number(in);
          matchIndex[k] += JournalFormat.number(in);
        }
      }
    } else if (identity && role.equals("Leader")) {
      throw new IOException("a new leader without its nextIndex and matchIndex");
    }
    if ((changes & JournalFormat.VOTES) != 0) {
      if (!role.equals("Candidate")) {
        throw new IOException("a " + role + " with a candidate's votes");
      }
      for (int k = 0; k < members.length; k++) {
        votes[k] = in.get() != 0;
      }
    } else if (identity && role.equals("Candidate")) {
      throw new IOException("a new candidate without its votes");
    }
    readAny = true;
    appended = null;
  }

  private static String readRole(ByteBuffer in) throws IOException {
    byte code = in.get();
    if (code == JournalFormat.OTHER_ROLE) {
      int length = JournalFormat.intNumber(in, "the role name's length");
      if (length < 0 || length > in.remaining()) {
        throw new IOException("a role name of " + length + " bytes does not fit the record");
      }
      byte[] name = new byte[length];
      in.get(name);
      return new String(name, StandardCharsets.UTF_8);
    }
    if (code < 0 || code >= ROLES.length) {
      throw new IOException("no role has number " + code);
    }
    return ROLES[code];
  }

  private void readRuns(ByteBuffer in) throws IOException {
    int count = JournalFormat.intNumber(in, "the run count");
    if (count < 0 || count > in.remaining() / 2) {
      throw new IOException("a log of " + count + " runs does not fit the record");
    }
    if (runs.length < 2 * count) {
      runs = new long[Math.max(2 * count, 2 * runs.length)];
    }
    for (int k = 0; k < 2 * count; k++) {
      runs[k] = JournalFormat.number(in);
    }
    runCount = count;
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
