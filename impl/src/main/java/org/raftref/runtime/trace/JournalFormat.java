package org.raftref.runtime.trace;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of a trace journal ({@code node-ID.K.journal}): what a server writes while it runs, instead of
 * the ndjson trace, so that a traced step costs a few stores into memory rather than a line of JSON and a
 * write system call. {@link JournalConverter} turns a journal into the ndjson trace and clock file of
 * docs/trace-format.md, byte for byte what {@code NdjsonSink} and the clock file would have been.
 *
 * <p>All numbers are little-endian. The file is:
 * <pre>
 *   magic           8 bytes  "RRJRNL01"
 *   header          int m, m ints (the members), int maxEntriesPerAppend, int n, n bytes (the origin, UTF-8)
 *   padding                  zeros up to a multiple of 8
 *   records         each: int payload length L (> 0), int 0, L bytes of payload, zeros up to a multiple of 8
 *   end             an int 0 where the next record's length would be (the file's unused, zero tail)
 * </pre>
 *
 * <p>The writer stores a record's payload first and its length last, with release semantics: a process
 * killed at any instruction leaves only whole records before the first zero length, and the kernel keeps
 * what it stored in the mapped file. A record's payload: {@code long time} (the event's Lamport time), then
 * {@code byte action} (the {@code TraceAction} ordinal), then for
 * <ul>
 *   <li>an environment step: {@code int node}, {@code byte hasMessage}, the message if it has one;</li>
 *   <li>a node step: the state, {@code byte flags} ({@link #RECEIVED}, {@link #SENT}), the received message,
 *       the sent message, and for {@code ClientRequest} the appended command as a value.</li>
 * </ul>
 * A state is recorded as its changes from the state of the previous node step in the same journal (all of
 * it at the first): a byte of flags, then the parts it names, in this order: {@link #IDENTITY}
 * {@code int id, long currentTerm, int votedFor}, role; {@link #COMMIT} {@code long commitIndex};
 * {@link #LAST_INDEX} {@code long lastLogIndex}; {@link #RUNS} {@code int runs}, then each run
 * {@code long term, long lastIndex}, or {@link #LAST_RUN} the last run's new {@code long lastIndex} (the
 * runs are otherwise those recorded before); {@link #PEERS} (a leader) for each other member in ascending
 * order {@code long nextIndex, long matchIndex}; {@link #VOTES} (a candidate) a byte per member, 1 if it
 * granted its vote. A part that is absent is as recorded before; a new identity (such as a new role) always
 * comes with the leader's peers or the candidate's votes. A role is a byte: {@link #FOLLOWER},
 * {@link #CANDIDATE}, {@link #LEADER}, or {@link #OTHER_ROLE} followed by the name as an int length and
 * UTF-8 bytes.
 *
 * <p>A message: {@code byte type, int from, int to, long term}, then by type: RequestVoteRequest
 * {@code long lastLogTerm, long lastLogIndex}; RequestVoteResponse {@code byte voteGranted};
 * AppendEntriesRequest {@code long prevLogIndex, long prevLogTerm, long leaderCommit, int count}, then each
 * entry {@code long term} and its value; AppendEntriesResponse {@code byte success, long matchIndex,
 * long conflictTerm, long conflictIndex}.
 *
 * <p>A value (a command, as the trace records it): {@code int 8} and the command's digest
 * ({@code ValueDigest.digest}, 8 bytes big-endian); {@code int 0} for the empty command; or {@code int -1},
 * which means "the same command as the last value written for this log index". Values are remembered per
 * index in {@link #VALUE_SLOTS} slots (slot: index mod slots), by writer and reader alike, so a leader
 * digests and writes each command once although its ClientRequest and every AppendEntries that carries it
 * record it.
 */
final class JournalFormat {

  static final byte[] MAGIC = "RRJRNL01".getBytes(StandardCharsets.US_ASCII);
  static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** Bytes before each record's payload: its length, and an int 0 that keeps payloads 8-byte aligned. */
  static final int RECORD_HEADER = 8;

  static final byte RECEIVED = 1;
  static final byte SENT = 2;

  // The parts of a state that a record holds.
  static final int IDENTITY = 1;
  static final int COMMIT = 2;
  static final int LAST_INDEX = 4;
  static final int RUNS = 8;
  static final int LAST_RUN = 16;
  static final int PEERS = 32;
  static final int VOTES = 64;
  /** What the first state of a journal must hold: everything but the role's own part. */
  static final int WHOLE = IDENTITY | COMMIT | LAST_INDEX | RUNS;

  static final byte FOLLOWER = 0;
  static final byte CANDIDATE = 1;
  static final byte LEADER = 2;
  static final byte OTHER_ROLE = 3;

  static final byte REQUEST_VOTE_REQUEST = 0;
  static final byte REQUEST_VOTE_RESPONSE = 1;
  static final byte APPEND_ENTRIES_REQUEST = 2;
  static final byte APPEND_ENTRIES_RESPONSE = 3;

  /** The value marker for "the command last written for this index". */
  static final int SAME_VALUE = -1;
  /** Slots of remembered values; a power of two, larger than the entries a leader has in flight. */
  static final int VALUE_SLOTS = 1 << 12;

  private JournalFormat() {}

  static int slot(long index) {
    return (int) (index & (VALUE_SLOTS - 1));
  }

  static long align8(long n) {
    return (n + 7) & ~7L;
  }
}
