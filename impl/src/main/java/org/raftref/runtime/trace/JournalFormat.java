package org.raftref.runtime.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of a trace journal ({@code node-ID.K.journal}): what a server writes while it runs, instead of
 * the ndjson trace, so that a traced step costs a few stores into memory rather than a line of JSON and a
 * write system call. {@link JournalConverter} turns a journal into the ndjson trace and clock file of
 * docs/trace-format.md, byte for byte what {@code NdjsonSink} and the clock file would have been.
 *
 * <p>The file is (ints little-endian):
 * <pre>
 *   magic           8 bytes  "RRJRNL02"
 *   header          int m, m ints (the members), int maxEntriesPerAppend, int n, n bytes (the origin, UTF-8)
 *   padding                  zeros up to a multiple of 4
 *   records         each: int payload length L (> 0), L bytes of payload, zeros up to a multiple of 4
 *   end             an int 0 where the next record's length would be (the file's unused, zero tail)
 * </pre>
 *
 * <p>The writer stores a record's payload first and its length last, with release semantics: a process
 * killed at any instruction leaves only whole records before the first zero length, and the kernel keeps
 * what it stored in the mapped file.
 *
 * <p>A payload is small because the journal is the one stream of bytes a traced server adds to its disk's
 * writes: every number in it is a <em>number</em>, a variable-length signed integer (zigzag, then seven bits
 * a byte, low bits first, the high bit set on all bytes but the last: one byte from -64 to 63, at most
 * {@link #MAX_NUMBER_BYTES}), and where a number follows one recorded before, what is recorded is the
 * change. A payload: the event's Lamport time (the change from the previous record's, the first from 0),
 * {@code byte action} (the {@code TraceAction} ordinal), then for
 * <ul>
 *   <li>an environment step: node, {@code byte hasMessage}, the message if it has one;</li>
 *   <li>a node step: the state, {@code byte flags} ({@link #RECEIVED}, {@link #SENT}), the received message,
 *       the sent message, and for {@code ClientRequest} the appended command as a value.</li>
 * </ul>
 * A state is recorded as its changes from the state of the previous node step in the same journal (all of
 * it at the first): a byte of flags, then the parts it names, in this order: {@link #IDENTITY} id,
 * currentTerm, votedFor, role; {@link #COMMIT} the change of commitIndex; {@link #LAST_INDEX} the change of
 * lastLogIndex; {@link #RUNS} the number of runs, then each run's term and last index, or {@link #LAST_RUN}
 * the change of the last run's last index (the runs are otherwise those recorded before); {@link #PEERS} (a
 * leader) for each other member in ascending order the changes of nextIndex and matchIndex (from those last
 * recorded, 0 before any); {@link #VOTES} (a candidate) a byte per member, 1 if it granted its vote. A part
 * that is absent is as recorded before; a new identity (such as a new role) always comes with the leader's
 * peers or the candidate's votes. A role is a byte: {@link #FOLLOWER}, {@link #CANDIDATE}, {@link #LEADER},
 * or {@link #OTHER_ROLE} followed by the name's length and its UTF-8 bytes. So a leader's ClientRequest
 * costs 20 bytes: length, time, action, flags, two changes of 1, message flags, and the value.
 *
 * <p>A message: {@code byte type}, from, to, term, then by type: RequestVoteRequest lastLogTerm,
 * lastLogIndex; RequestVoteResponse {@code byte voteGranted}; AppendEntriesRequest prevLogIndex, prevLogTerm,
 * leaderCommit, the entry count, then each entry's term and value; AppendEntriesResponse
 * {@code byte success}, matchIndex, conflictTerm, conflictIndex.
 *
 * <p>A value (a command, as the trace records it): 8 and the command's digest ({@code ValueDigest.digest},
 * 8 bytes big-endian); 0 for the empty command; or -1, which means "the same command as the last value
 * written for this log index". Values are remembered per index in {@link #VALUE_SLOTS} slots (slot: index
 * mod slots), by writer and reader alike, so a leader digests and writes each command once although its
 * ClientRequest and every AppendEntries that carries it record it.
 *
 * <p>The first format ({@code RRJRNL01}) wrote every number in 4 or 8 bytes and aligned records to 8 bytes;
 * this one's records are 2 to 3 times smaller. A journal is converted when its server stops, or by the next
 * start or {@code merge-traces} of the same installation, so a reader knows only its own format and refuses
 * the first by name.
 */
final class JournalFormat {

  static final byte[] MAGIC = "RRJRNL02".getBytes(StandardCharsets.US_ASCII);
  static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** Bytes before each record's payload: its length. */
  static final int RECORD_HEADER = 4;
  /** The most bytes a number takes: 64 bits, seven a byte. */
  static final int MAX_NUMBER_BYTES = 10;

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

  /** {@code n} rounded up to a multiple of 4, where records start (a length is stored as an aligned int). */
  static long align4(long n) {
    return (n + 3) & ~3L;
  }

  /**
   * Reads a number ({@link RecordBuffer#putNumber}).
   *
   * @throws IOException if it runs over {@value #MAX_NUMBER_BYTES} bytes or 64 bits
   * @throws java.nio.BufferUnderflowException if the record ends inside it
   */
  static long number(ByteBuffer in) throws IOException {
    long zigzag = 0;
    for (int shift = 0; ; shift += 7) {
      byte b = in.get();
      if (shift == 63 && (b & 0xFE) != 0) { // the tenth byte holds the 64th bit only, and ends the number
        throw new IOException("a number runs over " + MAX_NUMBER_BYTES + " bytes or 64 bits");
      }
      zigzag |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return (zigzag >>> 1) ^ -(zigzag & 1);
      }
    }
  }

  /** Reads a number that must be an int, such as a node id or a count; {@code what} names it in the error. */
  static int intNumber(ByteBuffer in, String what) throws IOException {
    long n = number(in);
    if (n != (int) n) {
      throw new IOException(what + " " + n + " is not an int");
    }
    return (int) n;
  }
}
