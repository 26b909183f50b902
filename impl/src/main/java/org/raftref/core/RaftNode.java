package org.raftref.core;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;
import org.raftref.trace.NodeStateView;
import org.raftref.trace.TraceAction;
import org.raftref.trace.TraceSink;

/**
 * One Raft node as a deterministic state machine (Figure 2 of the paper).
 *
 * <p>Inputs: {@link #tick()} (time), {@link #step(Message)} (a message arrived), {@link #propose(byte[])} (a
 * client command). Output: a {@link Ready} the driver persists, sends and applies, then acknowledges with
 * {@link #advance(Ready)}. Each state change is one step of {@code docs/steps.md}, one action of
 * {@code spec/Raft.tla} of the same name, and one call to the {@link TraceSink}.
 *
 * <p>Not thread-safe: one thread drives a node. Nothing here reads a clock, does I/O or draws randomness
 * other than from the injected generator.
 */
public final class RaftNode implements NodeStateView {

  /**
   * No run reaches this term: terms grow by one per election. A message claiming a larger one is refused,
   * so that currentTerm + 1 cannot overflow however many elections follow it.
   */
  static final long MAX_TERM = Long.MAX_VALUE / 2;

  private final RaftConfig config;
  private final RandomGenerator random;
  private final TraceSink trace;
  /** All member ids, ascending; per-peer arrays below are indexed by position in it. */
  private final int[] members;
  private final int self;

  // Persistent state (Figure 2). These are the working copies; what is durable is what the last
  // advanced Ready carried (persistedHardState, and log[1..stableIndex]).
  /** Persistent. Latest term this node has seen; never decreases. */
  private long currentTerm;
  /** Persistent. The candidate this node voted for in currentTerm, 0 for none. */
  private int votedFor;
  /** Persistent. Invariant: commitIndex ≤ log.lastIndex() in every state a correct run reaches. */
  private final RaftLog log;

  // Volatile state.
  private Role role = Role.Follower;
  /** Volatile. The leader of currentTerm as far as this node knows, 0 if unknown. */
  private int leaderId;
  /** Volatile. Highest index known committed; never decreases. */
  private long commitIndex;
  /** Volatile. Highest index handed out to apply; appliedIndex ≤ commitIndex. */
  private long appliedIndex;
  /** Volatile, candidate. votesGranted[p]: member p granted its vote in currentTerm. */
  private final boolean[] votesGranted;
  /**
   * Volatile, leader. Next index to send to each member (Figure 2). Sending moves it past the entries sent
   * (pipelining: the next AppendEntries carries only newer entries, without waiting for a reply); a failure
   * reply moves it back (§5.3).
   */
  private final long[] nextIndex;
  /** Volatile, leader. Highest index known replicated on each member; only grows within a term. */
  private final long[] matchIndex;

  // Timers, counted in ticks (not part of the spec: they only decide when Timeout and heartbeats happen).
  private int electionElapsed;
  private int randomizedElectionTimeout;
  private int heartbeatElapsed;

  // Durability bookkeeping: what the driver has made durable (thesis §3.8).
  /** The hard state in the last advanced Ready (or the one restored from disk). */
  private HardState persistedHardState;
  /** log[1..stableIndex] is durable and equal to the working log; stableIndex ≤ log.lastIndex(). */
  private long stableIndex;
  /** Messages produced since the last Ready; they leave only after the state they depend on is durable. */
  private final List<Message> outbox = new ArrayList<>();
  /** The Ready handed out and not yet advanced, if any: no step may happen while it is outstanding. */
  private @Nullable Ready outstanding;

  private long rejectedMessages;
  private @Nullable String lastRejection;

  private RaftNode(RaftConfig config, DurableState restored, RandomGenerator random, TraceSink trace) {
    this.config = config;
    this.random = random;
    this.trace = trace;
    this.members = config.sortedMembers();
    this.self = config.id();
    this.currentTerm = restored.hardState().currentTerm();
    this.votedFor = restored.hardState().votedFor();
    this.log = new RaftLog(restored.log());
    this.persistedHardState = restored.hardState();
    this.stableIndex = log.lastIndex();
    this.votesGranted = new boolean[members.length];
    this.nextIndex = new long[members.length];
    this.matchIndex = new long[members.length];
    resetElectionTimer();
  }

  /** A node starting for the first time, with an empty log. */
  public static RaftNode start(RaftConfig config, RandomGenerator random, TraceSink trace) {
    return restart(config, DurableState.EMPTY, random, trace);
  }

  /**
   * A node (re)starting from what it had made durable: a follower with commitIndex 0 that relearns what is
   * committed from the leader. (The {@code Restart} trace event is the driver's to emit.)
   */
  public static RaftNode restart(RaftConfig config, DurableState restored, RandomGenerator random,
      TraceSink trace) {
    if (restored.hardState().votedFor() != 0 && !config.members().contains(restored.hardState().votedFor())) {
      throw new IllegalArgumentException("durable votedFor " + restored.hardState().votedFor()
          + " is not one of members " + config.members());
    }
    return new RaftNode(config, restored, random, trace);
  }

  // ---------------------------------------------------------------------------------------------------
  // Inputs

  /** One unit of time passed: a follower or candidate may time out, a leader may send heartbeats. */
  public void tick() {
    checkNoReadyOutstanding();
    if (role == Role.Leader) {
      if (++heartbeatElapsed >= config.heartbeatTicks()) {
        heartbeatElapsed = 0;
        for (int peer : members) {
          if (peer != self) {
            appendEntries(peer);
          }
        }
      }
    } else if (++electionElapsed >= randomizedElectionTimeout) {
      timeout();
    }
  }

  /**
   * A message arrived. Malformed messages, messages not addressed to this node and messages from
   * non-members are counted in {@link #rejectedMessages()} and otherwise ignored; this never throws for
   * any message.
   */
  public void step(Message m) {
    checkNoReadyOutstanding();
    String problem = rejectionReason(m);
    if (problem != null) {
      rejectedMessages++;
      lastRejection = problem;
      return;
    }
    if (m.term() > currentTerm) {
      updateTerm(m);
    }
    if (m instanceof RequestVoteRequest request) {
      handleRequestVoteRequest(request);
    } else if (m instanceof RequestVoteResponse response) {
      handleRequestVoteResponse(response);
    } else if (m instanceof AppendEntriesRequest request) {
      handleAppendEntriesRequest(request);
    } else if (m instanceof AppendEntriesResponse response) {
      handleAppendEntriesResponse(response);
    }
  }

  /**
   * {@code ClientRequest(i, v)}: a leader appends {@code command} to its log in its current term and sends
   * it on (§5.3). Returns {@link ProposeResult.NotLeader} on any other node. The command array is owned by
   * the node from now on.
   */
  public ProposeResult propose(byte[] command) {
    return proposeAll(List.of(command));
  }

  /**
   * {@code ClientRequest(i, v)} once per command, in order, then one {@code AppendEntries(i, j)} per peer
   * carrying all of them (as far as a batch allows): batching proposals costs one message per peer, not
   * one per command. {@link ProposeResult.Accepted#index()} is the index of the first command; command k
   * of the list has that index plus k. On a node that is not the leader nothing is appended. The arrays
   * are owned by the node from now on.
   */
  public ProposeResult proposeAll(List<byte[]> commands) {
    checkNoReadyOutstanding();
    if (commands.isEmpty()) {
      throw new IllegalArgumentException("proposeAll needs at least one command");
    }
    if (role != Role.Leader) {
      return new ProposeResult.NotLeader(leaderId, currentTerm);
    }
    long first = log.lastIndex() + 1;
    for (byte[] command : commands) {
      log.append(new LogEntry(currentTerm, command));
      emit(TraceAction.ClientRequest, null, null);
    }
    for (int peer : members) {
      if (peer != self && nextIndex[position(peer)] <= log.lastIndex()) {
        appendEntries(peer);
      }
    }
    return new ProposeResult.Accepted(first, currentTerm);
  }

  // ---------------------------------------------------------------------------------------------------
  // Election (§5.2, §5.4.1)

  /**
   * {@code Timeout(i)}: the election timeout elapsed without a leader's word; start an election (§5.2):
   * increment the term, vote for self, ask every other member for its vote.
   */
  private void timeout() {
    currentTerm++;
    role = Role.Candidate;
    votedFor = self;
    leaderId = 0;
    java.util.Arrays.fill(votesGranted, false);
    votesGranted[position(self)] = true;
    resetElectionTimer();
    for (int peer : members) {
      if (peer != self) {
        outbox.add(new RequestVoteRequest(self, peer, currentTerm, log.lastTerm(), log.lastIndex()));
      }
    }
    emit(TraceAction.Timeout, null, null);
    becomeLeaderIfElected();
  }

  /**
   * {@code UpdateTerm(i, j, m)}: any message with a higher term makes this node a follower of that term,
   * with no vote yet cast in it (Figure 2, "Rules for Servers: All Servers"; §5.1). The message is handled
   * afterwards by its own step.
   */
  private void updateTerm(Message m) {
    boolean wasFollower = role == Role.Follower;
    currentTerm = m.term();
    role = Role.Follower;
    votedFor = 0;
    leaderId = 0;
    if (!wasFollower) {
      resetElectionTimer();
    }
    emit(TraceAction.UpdateTerm, m, null);
  }

  /**
   * {@code HandleRequestVoteRequest(i, j, m)}: grant the vote only in the current term, only if no other
   * candidate got it, and only if the candidate's log is at least as up to date as this node's (Figure 2,
   * RequestVote receiver 1–2; §5.2, §5.4.1).
   */
  private void handleRequestVoteRequest(RequestVoteRequest m) {
    boolean grant = m.term() == currentTerm
        && (votedFor == 0 || votedFor == m.from())
        && candidateIsUpToDate(m.lastLogTerm(), m.lastLogIndex());
    if (grant) {
      votedFor = m.from();
      electionElapsed = 0;
    }
    Message reply = new RequestVoteResponse(self, m.from(), currentTerm, grant);
    outbox.add(reply);
    emit(TraceAction.HandleRequestVoteRequest, m, reply);
  }

  /** §5.4.1: compare the terms of the last entries, then the lengths. */
  private boolean candidateIsUpToDate(long lastLogTerm, long lastLogIndex) {
    return lastLogTerm > log.lastTerm() || (lastLogTerm == log.lastTerm() && lastLogIndex >= log.lastIndex());
  }

  /**
   * {@code HandleRequestVoteResponse(i, j, m)}: a candidate counts a vote granted in its current term
   * (§5.2); any other reply is stale and changes nothing.
   */
  private void handleRequestVoteResponse(RequestVoteResponse m) {
    if (m.term() == currentTerm && role == Role.Candidate && m.voteGranted()) {
      votesGranted[position(m.from())] = true;
    }
    emit(TraceAction.HandleRequestVoteResponse, m, null);
    becomeLeaderIfElected();
  }

  private void becomeLeaderIfElected() {
    if (role != Role.Candidate) {
      return;
    }
    int votes = 0;
    for (boolean granted : votesGranted) {
      votes += granted ? 1 : 0;
    }
    if (votes >= config.quorum()) {
      becomeLeader();
    }
  }

  /**
   * {@code BecomeLeader(i)}: a candidate with votes from a quorum leads its term (§5.2). It resets
   * nextIndex and matchIndex (Figure 2, volatile state on leaders) and appends an entry of its own term so
   * that entries of earlier terms can commit (thesis §6.4; see docs/divergences.md). nextIndex points at
   * that entry, so the first AppendEntries to every follower carries it.
   */
  private void becomeLeader() {
    role = Role.Leader;
    leaderId = self;
    heartbeatElapsed = 0;
    java.util.Arrays.fill(nextIndex, log.lastIndex() + 1);
    java.util.Arrays.fill(matchIndex, 0);
    log.append(LogEntry.noop(currentTerm));
    emit(TraceAction.BecomeLeader, null, null);
    for (int peer : members) {
      if (peer != self) {
        appendEntries(peer);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Replication (§5.3) and commitment (§5.4.2)

  /**
   * {@code AppendEntries(i, j)}: send {@code peer} the entries from its nextIndex on (at most a batch),
   * with the index and term of the entry before them and the leader's commit index (§5.3). With nothing to
   * send it is the heartbeat (§5.2). nextIndex moves past the entries sent, so that the next request
   * carries only newer ones while this one is on its way (pipelining); if it is lost, the follower's
   * refusal of a later request moves nextIndex back.
   *
   * <p>The request may leave before this node's next {@code Persist} (see {@link Ready#mayLeaveBeforePersist}).
   */
  private void appendEntries(int peer) {
    long next = nextIndex[position(peer)];
    long prevLogIndex = next - 1;
    List<LogEntry> entries = log.batchFrom(next, config.maxEntriesPerAppend(), config.maxBytesPerAppend());
    Message request = new AppendEntriesRequest(
        self, peer, currentTerm, prevLogIndex, log.term(prevLogIndex), entries, commitIndex);
    nextIndex[position(peer)] = next + entries.size();
    outbox.add(request);
    emit(TraceAction.AppendEntries, null, request);
  }

  /**
   * {@code HandleAppendEntriesRequest(i, j, m)} (Figure 2, AppendEntries receiver 1–5; §5.3): reject a
   * stale term; a candidate of the same term yields to the leader; reject unless the log holds
   * prevLogIndex with prevLogTerm, with a hint for the leader's next try; otherwise delete from the first
   * conflicting entry on (never an entry that matches, so a stale or duplicate request deletes nothing),
   * append what is new, and advance commitIndex to min(leaderCommit, index of the last new entry).
   */
  private void handleAppendEntriesRequest(AppendEntriesRequest m) {
    if (m.term() < currentTerm) {
      reply(m, false, 0, 0, 0);
      return;
    }
    if (role == Role.Leader) {
      // Election Safety rules out two leaders of one term: this sender is lying or broken.
      reject("AppendEntriesRequest from " + m.from() + " claims to lead term " + m.term()
          + ", which this node leads");
      return;
    }
    if (role == Role.Candidate) {
      role = Role.Follower;
    }
    leaderId = m.from();
    electionElapsed = 0;
    if (!log.matches(m.prevLogIndex(), m.prevLogTerm())) {
      if (m.prevLogIndex() > log.lastIndex()) {
        reply(m, false, 0, 0, log.lastIndex() + 1);
      } else {
        reply(m, false, 0, log.term(m.prevLogIndex()), log.firstIndexOfTermAt(m.prevLogIndex()));
      }
      return;
    }
    long index = m.prevLogIndex();
    for (LogEntry entry : m.entries()) {
      index++;
      if (index <= log.lastIndex() && log.term(index) == entry.term()) {
        continue;
      }
      if (index <= log.lastIndex()) {
        log.truncateFrom(index);
        stableIndex = Math.min(stableIndex, index - 1);
      }
      log.append(entry);
    }
    long lastNewIndex = m.lastNewIndex();
    commitIndex = Math.max(commitIndex, Math.min(m.leaderCommit(), lastNewIndex));
    reply(m, true, lastNewIndex, 0, 0);
  }

  private void reply(AppendEntriesRequest m, boolean success, long match, long conflictTerm,
      long conflictIndex) {
    Message reply = new AppendEntriesResponse(
        self, m.from(), currentTerm, success, match, conflictTerm, conflictIndex);
    outbox.add(reply);
    emit(TraceAction.HandleAppendEntriesRequest, m, reply);
  }

  /**
   * {@code HandleAppendEntriesResponse(i, j, m)} (§5.3): on success the leader raises matchIndex and
   * nextIndex; on failure it backs nextIndex off, a whole conflicting term at a time, and tries again.
   * After a success it sends more at once only if its log holds entries no AppendEntries to that member has
   * carried yet (nextIndex is past everything sent). Replies from another term, or to a node no longer
   * leader, change nothing (§5.1).
   */
  private void handleAppendEntriesResponse(AppendEntriesResponse m) {
    boolean current = m.term() == currentTerm && role == Role.Leader;
    int p = position(m.from());
    if (current && m.success()) {
      matchIndex[p] = Math.max(matchIndex[p], m.matchIndex());
      nextIndex[p] = Math.max(nextIndex[p], matchIndex[p] + 1);
    } else if (current) {
      long hint = m.conflictIndex();
      if (m.conflictTerm() != 0) {
        long last = log.lastIndexOfTerm(m.conflictTerm());
        if (last != 0) {
          hint = last + 1;
        }
      }
      nextIndex[p] = Math.max(matchIndex[p] + 1, Math.min(hint, nextIndex[p]));
    }
    emit(TraceAction.HandleAppendEntriesResponse, m, null);
    if (current) {
      advanceCommitIndex();
      if (!m.success() || nextIndex[p] <= log.lastIndex()) {
        appendEntries(m.from());
      }
    }
  }

  /**
   * {@code AdvanceCommitIndex(i)}: a leader commits the highest entry of its current term stored on a
   * quorum (§5.3, §5.4.2): never an entry of an earlier term by counting replicas (Figure 8). It counts
   * itself only for entries it has made durable (thesis §10.2.1).
   */
  private void advanceCommitIndex() {
    if (role != Role.Leader) {
      return;
    }
    for (long n = log.lastIndex(); n > commitIndex && log.term(n) == currentTerm; n--) {
      int replicas = stableIndex >= n ? 1 : 0;
      for (int q = 0; q < members.length; q++) {
        if (members[q] != self && matchIndex[q] >= n) {
          replicas++;
        }
      }
      if (replicas >= config.quorum()) {
        commitIndex = n;
        emit(TraceAction.AdvanceCommitIndex, null, null);
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Output: Ready and advance (the durability contract, thesis §3.8)

  /** True if {@link #ready()} would carry anything. */
  public boolean hasReady() {
    return !hardState().equals(persistedHardState)
        || stableIndex < log.lastIndex()
        || !outbox.isEmpty()
        || appliedIndex < commitIndex;
  }

  /**
   * What the driver must persist, send and apply now (see {@link Ready} for the order). Until
   * {@link #advance(Ready)} is called, the node accepts no input.
   */
  public Ready ready() {
    checkNoReadyOutstanding();
    HardState hard = hardState();
    Ready ready = new Ready(
        hard.equals(persistedHardState) ? null : hard,
        stableIndex + 1,
        log.slice(stableIndex + 1, log.lastIndex()),
        outbox,
        appliedIndex + 1,
        log.slice(appliedIndex + 1, commitIndex));
    outbox.clear();
    outstanding = ready;
    return ready;
  }

  /**
   * {@code Persist(i)}: the driver has made {@code ready}'s state durable. The node's durable state now
   * equals its working state, and the messages in the Ready may leave. A leader may now count its own
   * durable entries toward a commit ({@code AdvanceCommitIndex} may follow).
   */
  public void advance(Ready ready) {
    if (ready != outstanding) {
      throw new IllegalStateException("advance(ready) must be given the Ready that ready() last returned");
    }
    outstanding = null;
    // Persist is a step only if it made something durable or released an outbox message: a Ready of nothing
    // but AppendEntries requests (heartbeats, say) released nothing, for those were in the network already.
    boolean changed = ready.mustPersist();
    for (Message m : ready.messages()) {
      changed |= !Ready.mayLeaveBeforePersist(m);
    }
    if (ready.hardState() != null) {
      persistedHardState = ready.hardState();
    }
    stableIndex = ready.firstEntryIndex() + ready.entries().size() - 1;
    appliedIndex = ready.lastCommittedIndex();
    if (changed) {
      emit(TraceAction.Persist, null, null);
    }
    advanceCommitIndex();
  }

  // ---------------------------------------------------------------------------------------------------
  // Helpers

  private @Nullable String rejectionReason(Message m) {
    String malformed = m.malformation();
    if (malformed != null) {
      return m.type() + " is malformed: " + malformed;
    }
    if (m.term() > MAX_TERM) {
      return m.type() + " has term " + m.term() + ", above " + MAX_TERM + ", which no run reaches";
    }
    if (m.to() != self) {
      return m.type() + " is addressed to " + m.to() + ", not to this node " + self;
    }
    if (m.from() == self || !isMember(m.from())) {
      return m.type() + " comes from " + m.from() + ", which is not another member of " + config.members();
    }
    if (m instanceof AppendEntriesRequest r && r.term() >= currentTerm) {
      long conflict = firstConflictingIndex(r);
      if (conflict != 0 && conflict <= commitIndex) {
        return "AppendEntriesRequest from " + r.from() + " conflicts with committed entry " + conflict
            + " (commitIndex " + commitIndex + "), which no leader's log does (Leader Completeness, §5.4)";
      }
    }
    if (m instanceof AppendEntriesResponse r && r.term() == currentTerm && role == Role.Leader
        && r.success() && r.matchIndex() > log.lastIndex()) {
      return "AppendEntriesResponse from " + r.from() + " acknowledges index " + r.matchIndex()
          + ", beyond this leader's last index " + log.lastIndex();
    }
    return null;
  }

  /**
   * The index of the first entry of {@code m} whose term differs from this log's entry at that index: the
   * index from which handling {@code m} would truncate the log. 0 if {@code m} would truncate nothing
   * (its entries match or go past the log, or the log does not hold its prevLogIndex and prevLogTerm).
   */
  private long firstConflictingIndex(AppendEntriesRequest m) {
    if (!log.matches(m.prevLogIndex(), m.prevLogTerm())) {
      return 0;
    }
    long index = m.prevLogIndex();
    for (LogEntry entry : m.entries()) {
      index++;
      if (index > log.lastIndex()) {
        return 0;
      }
      if (log.term(index) != entry.term()) {
        return index;
      }
    }
    return 0;
  }

  private void reject(String problem) {
    rejectedMessages++;
    lastRejection = problem;
  }

  private boolean isMember(int id) {
    return java.util.Arrays.binarySearch(members, id) >= 0;
  }

  private int position(int id) {
    return java.util.Arrays.binarySearch(members, id);
  }

  private void resetElectionTimer() {
    electionElapsed = 0;
    randomizedElectionTimeout =
        config.electionTimeoutTicks() + random.nextInt(config.electionTimeoutTicks());
  }

  private void checkNoReadyOutstanding() {
    if (outstanding != null) {
      throw new IllegalStateException("a Ready is outstanding: call advance(ready) before the next input");
    }
  }

  private void emit(TraceAction action, @Nullable Message received, @Nullable Message sent) {
    trace.nodeStep(action, this, received, sent);
  }

  // ---------------------------------------------------------------------------------------------------
  // Read access (NodeStateView, and what drivers and tests need)

  public HardState hardState() {
    return new HardState(currentTerm, votedFor);
  }

  public Role role() {
    return role;
  }

  /** The leader of the current term as far as this node knows, 0 if unknown. */
  public int leaderId() {
    return leaderId;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  /** Messages rejected by {@link #step} as malformed, misaddressed or from a non-member. */
  public long rejectedMessages() {
    return rejectedMessages;
  }

  /** Why the last rejected message was rejected, or null if none was. */
  public @Nullable String lastRejection() {
    return lastRejection;
  }

  /** The index of the last entry known durable. */
  public long stableIndex() {
    return stableIndex;
  }

  public RaftConfig config() {
    return config;
  }

  @Override
  public int id() {
    return self;
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
    return role.name();
  }

  @Override
  public long commitIndex() {
    return commitIndex;
  }

  @Override
  public long lastLogIndex() {
    return log.lastIndex();
  }

  @Override
  public long logTerm(long index) {
    return log.term(index);
  }

  @Override
  public java.util.List<long[]> logRuns() {
    return log.runs();
  }

  @Override
  public int logRunCount() {
    return log.runCount();
  }

  @Override
  public long logRunTerm(int k) {
    return log.runTerm(k);
  }

  @Override
  public long logRunLastIndex(int k) {
    return log.runLastIndex(k);
  }

  @Override
  public LogEntry logEntry(long index) {
    return log.entry(index);
  }

  @Override
  public long nextIndex(int peer) {
    int k = role == Role.Leader ? position(peer) : -1; // one search: a trace event asks for every peer
    return k >= 0 ? nextIndex[k] : 0;
  }

  @Override
  public long matchIndex(int peer) {
    int k = role == Role.Leader ? position(peer) : -1;
    return k >= 0 ? matchIndex[k] : 0;
  }

  @Override
  public boolean voteGranted(int peer) {
    int k = role == Role.Candidate ? position(peer) : -1;
    return k >= 0 && votesGranted[k];
  }
}
