-------------------------------- MODULE Raft --------------------------------
(***************************************************************************)
(* Raft as implemented by org.raftref.core.RaftNode.                       *)
(*                                                                         *)
(* Every action is exactly one step of the core, with the name that        *)
(* docs/steps.md gives it and that the core's trace events carry; the      *)
(* Java method has the same name in lower camel case.  Where the core does *)
(* two things in one step (BecomeLeader appends its no-op entry), the      *)
(* action does both; where it does them in separate steps (UpdateTerm and  *)
(* then the handler for the same message), so does the spec.               *)
(*                                                                         *)
(* Every action takes all its parameters explicitly (node, peer, message,  *)
(* batch size, client value), so that a trace event can fix each one and   *)
(* spec/TraceRaft.tla can drive these very actions.                        *)
(*                                                                         *)
(* Durability (thesis 3.8): each node has a working copy of its persistent *)
(* state and a durable copy.  Persist(i) makes the working copy durable    *)
(* and only then hands the node's outbox to the network; Restart(i)        *)
(* returns to the durable copy and loses everything else.  The one message *)
(* that skips the outbox is a leader's AppendEntriesRequest: the leader    *)
(* writes its log in parallel with replicating it (thesis 10.2.1).         *)
(*                                                                         *)
(* The protocol rules that the spec mutants change are small named         *)
(* operators (CandidateLogIsUpToDate, RoleOnNewTerm, AcceptedLog,          *)
(* FollowerCommitIndex, CanCommit, RestoredVotedFor), so that a mutant is  *)
(* one operator substitution in a TLC configuration (spec/mutants/).       *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, Bags

\* ---------------------------------------------------------------------------
\* Constants

\* The set of server ids.
CONSTANT Server

\* The set of values clients may propose.
CONSTANT Value

\* "No vote": a value that is not a server id (the core writes 0).
CONSTANT Nil

\* The command of the entry a new leader appends (thesis 6.4); not in Value.
CONSTANT NoOp

\* The most entries one AppendEntriesRequest carries (RaftConfig.maxEntriesPerAppend).
CONSTANT MaxBatch

ASSUME /\ Nil \notin Server
       /\ NoOp \notin Value
       /\ MaxBatch \in Nat \ {0}

\* Roles and message types: strings spelled as the core spells them
\* (Role.name(), Message.type()), so that traces need no translation.
Follower  == "Follower"
Candidate == "Candidate"
Leader    == "Leader"

RequestVoteRequest    == "RequestVoteRequest"
RequestVoteResponse   == "RequestVoteResponse"
AppendEntriesRequest  == "AppendEntriesRequest"
AppendEntriesResponse == "AppendEntriesResponse"

\* ---------------------------------------------------------------------------
\* Variables

\* The network: a bag (multiset) of messages, so that it can lose, reorder
\* and duplicate them.  A message is a record; see the constructors below.
VARIABLE network

\* Per node, the messages produced but not yet handed to the network: they
\* leave only at Persist(i), after the state they depend on is durable, and
\* Restart(i) loses them.  A bag too: the order within one Ready carries no
\* meaning once the messages are in the network.
VARIABLE outbox

messageVars == <<network, outbox>>

\* Working copies of the persistent state (Figure 2): what the node acts on.
VARIABLE currentTerm
VARIABLE votedFor
\* The role of each node: Follower, Candidate or Leader (volatile).
VARIABLE role

serverVars == <<currentTerm, votedFor, role>>

\* log[i] is a sequence of entries [term |-> t, value |-> v]; index 1 first.
VARIABLE log
\* The highest index known committed (volatile).
VARIABLE commitIndex

logVars == <<log, commitIndex>>

\* What survives a crash: the state as of the node's last Persist.
VARIABLE durableTerm
VARIABLE durableVotedFor
VARIABLE durableLog

durableVars == <<durableTerm, durableVotedFor, durableLog>>

\* Candidate: the nodes (self included) that granted a vote in currentTerm.
\* Empty while the node is not a candidate (see RoleBookkeeping).
VARIABLE votesGranted

candidateVars == <<votesGranted>>

\* Leader: nextIndex[i][j] and matchIndex[i][j] as in Figure 2.  1 and 0 while
\* the node does not lead (see RoleBookkeeping).
VARIABLE nextIndex
VARIABLE matchIndex

leaderVars == <<nextIndex, matchIndex>>

vars == <<messageVars, serverVars, logVars, durableVars, candidateVars, leaderVars>>

\* ---------------------------------------------------------------------------
\* Helpers

\* Sets of servers that make a majority: any two of them intersect.
Quorum == {Q \in SUBSET Server : Cardinality(Q) * 2 > Cardinality(Server)}

Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b

\* The term of the entry at index n of xlog; index 0 is the empty prefix, term 0.
TermAt(xlog, n) == IF n = 0 THEN 0 ELSE xlog[n].term

LastTerm(xlog) == TermAt(xlog, Len(xlog))

\* xlog is a prefix of ylog.
IsPrefix(xlog, ylog) ==
    /\ Len(xlog) <= Len(ylog)
    /\ xlog = SubSeq(ylog, 1, Len(xlog))

\* The bag holding one copy of m.
One(m) == SetToBag({m})

\* The network after the receiver has consumed one copy of m.
Consume(m) == network (-) One(m)

\* Adds message m to node i's outbox.
Send(i, m) == outbox' = [outbox EXCEPT ![i] = @ (+) One(m)]

\* Puts message m into the network at once, bypassing the outbox (only a
\* leader's AppendEntriesRequest: see AppendEntriesBatch).
SendNow(m) == network' = network (+) One(m)

\* Message constructors: one per message type of docs/steps.md, with the
\* field names of the org.raftref.message records.
RequestVoteRequestMsg(i, j) ==
    [mtype         |-> RequestVoteRequest,
     mterm         |-> currentTerm[i] + 1,
     mlastLogTerm  |-> LastTerm(log[i]),
     mlastLogIndex |-> Len(log[i]),
     msource       |-> i,
     mdest         |-> j]

RequestVoteResponseMsg(i, j, granted) ==
    [mtype        |-> RequestVoteResponse,
     mterm        |-> currentTerm[i],
     mvoteGranted |-> granted,
     msource      |-> i,
     mdest        |-> j]

AppendEntriesResponseMsg(i, j, success, match, conflictTerm, conflictIndex) ==
    [mtype          |-> AppendEntriesResponse,
     mterm          |-> currentTerm[i],
     msuccess       |-> success,
     mmatchIndex    |-> match,
     mconflictTerm  |-> conflictTerm,
     mconflictIndex |-> conflictIndex,
     msource        |-> i,
     mdest          |-> j]

\* m is in the network, addressed to i, sent by j and of type t: the common
\* guard of every message handler.
Receivable(i, j, m, t) ==
    /\ BagIn(m, network)
    /\ m.mtype = t
    /\ m.msource = j
    /\ m.mdest = i

\* The values of the leader's bookkeeping while a node does not lead.
NoNextIndex  == [j \in Server |-> 1]
NoMatchIndex == [j \in Server |-> 0]

\* Node i's candidate and leader bookkeeping as it takes role r: kept for the
\* role it holds, cleared otherwise.  The core leaves stale values in its
\* arrays when a node changes role, reads them only in that role and shows
\* them as 0 and "no vote" otherwise (NodeStateView); the spec clears them,
\* so that states differing only in values nobody reads are one state (this
\* makes the model-checking state space several times smaller).
RoleBookkeeping(i, r) ==
    /\ votesGranted' = [votesGranted EXCEPT ![i] = IF r = Candidate THEN @ ELSE {}]
    /\ nextIndex'    = [nextIndex EXCEPT ![i] = IF r = Leader THEN @ ELSE NoNextIndex]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = IF r = Leader THEN @ ELSE NoMatchIndex]

\* ---------------------------------------------------------------------------
\* The protocol rules the mutants replace (each a line of Figure 2)

\* Section 5.4.1: the candidate's log is at least as up to date as i's:
\* compare the terms of the last entries, then the lengths.
CandidateLogIsUpToDate(i, m) ==
    \/ m.mlastLogTerm > LastTerm(log[i])
    \/ /\ m.mlastLogTerm = LastTerm(log[i])
       /\ m.mlastLogIndex >= Len(log[i])

\* Figure 2, RequestVote receiver 1-2: only in the current term, only one
\* candidate per term, only an up-to-date candidate.
VoteGranted(i, j, m) ==
    /\ m.mterm = currentTerm[i]
    /\ votedFor[i] \in {Nil, j}
    /\ CandidateLogIsUpToDate(i, m)

\* Figure 2, all servers: a node that learns of a newer term becomes a follower.
RoleOnNewTerm(i) == Follower

\* The first position k in m.mentries whose entry is not already in i's log
\* at index prevLogIndex + k (past its end, or a different term); 0 if none.
FirstNewEntry(i, m) ==
    LET new == {k \in 1 .. Len(m.mentries) :
                  \/ m.mprevLogIndex + k > Len(log[i])
                  \/ log[i][m.mprevLogIndex + k].term # m.mentries[k].term}
    IN  IF new = {} THEN 0 ELSE CHOOSE k \in new : \A l \in new : k <= l

\* Figure 2, AppendEntries receiver 3-4: delete from the first conflicting
\* entry on and append what is new.  Entries that match are never deleted,
\* so a stale or duplicate request whose entries all match changes nothing
\* (it may arrive after later entries were appended).
AcceptedLog(i, m) ==
    LET k == FirstNewEntry(i, m)
    IN  IF k = 0
        THEN log[i]
        ELSE SubSeq(log[i], 1, m.mprevLogIndex + k - 1)
               \o SubSeq(m.mentries, k, Len(m.mentries))

\* Figure 2, AppendEntries receiver 5: commit up to the leader's commit index
\* but never past the last entry this request vouches for.
FollowerCommitIndex(i, m) ==
    Max(commitIndex[i], Min(m.mcommitIndex, m.mprevLogIndex + Len(m.mentries)))

\* Leader i counts itself for index n only once n is durable (thesis 10.2.1).
\* Len(durableLog[i]) is the core's stableIndex: a leader's durable log is a
\* prefix of its log (see the invariant LeaderLogExtendsDurableLog).
IsReplicatedOnQuorum(i, n) ==
    LET self  == IF n <= Len(durableLog[i]) THEN {i} ELSE {}
        peers == {k \in Server \ {i} : matchIndex[i][k] >= n}
    IN  self \cup peers \in Quorum

\* Sections 5.3 and 5.4.2: a leader commits only an entry of its own term by
\* counting replicas (Figure 8); earlier entries commit with it.
CanCommit(i, n) ==
    /\ log[i][n].term = currentTerm[i]
    /\ IsReplicatedOnQuorum(i, n)

\* Figure 2: votedFor is persistent state, so a restart brings it back.
RestoredVotedFor(i) == durableVotedFor[i]

\* ---------------------------------------------------------------------------
\* Initial state

InitMessageVars == /\ network = EmptyBag
                   /\ outbox = [i \in Server |-> EmptyBag]
InitServerVars == /\ currentTerm = [i \in Server |-> 0]
                  /\ votedFor    = [i \in Server |-> Nil]
                  /\ role        = [i \in Server |-> Follower]
InitLogVars == /\ log         = [i \in Server |-> << >>]
               /\ commitIndex = [i \in Server |-> 0]
InitDurableVars == /\ durableTerm     = [i \in Server |-> 0]
                   /\ durableVotedFor = [i \in Server |-> Nil]
                   /\ durableLog      = [i \in Server |-> << >>]
InitCandidateVars == votesGranted = [i \in Server |-> {}]
\* The core starts nextIndex and matchIndex at 0; 1 and 0 here keep TypeOK
\* simple.  Neither is read before BecomeLeader sets them.
InitLeaderVars == /\ nextIndex  = [i \in Server |-> NoNextIndex]
                  /\ matchIndex = [i \in Server |-> NoMatchIndex]

Init == /\ InitMessageVars
        /\ InitServerVars
        /\ InitLogVars
        /\ InitDurableVars
        /\ InitCandidateVars
        /\ InitLeaderVars

\* ---------------------------------------------------------------------------
\* Node steps without a message (RaftNode.tick, propose, advance)

\* Timeout(i): a follower or candidate whose election timeout elapsed starts
\* an election (5.2): next term, votes for itself, asks every peer for a vote.
\* Asking every peer in the same step is what the core does (timeout()).
Timeout(i) ==
    /\ role[i] \in {Follower, Candidate}
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = @ + 1]
    /\ role'         = [role EXCEPT ![i] = Candidate]
    /\ votedFor'     = [votedFor EXCEPT ![i] = i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {i}]
    /\ outbox' = [outbox EXCEPT ![i] =
                    @ (+) SetToBag({RequestVoteRequestMsg(i, j) : j \in Server \ {i}})]
    /\ UNCHANGED <<network, logVars, durableVars, leaderVars>>

\* BecomeLeader(i): a candidate with votes from a quorum leads its term (5.2)
\* and appends a no-op entry of that term so that earlier entries can commit
\* (thesis 6.4).  nextIndex points at the no-op, so the first AppendEntries
\* to every peer carries it (becomeLeader()).
BecomeLeader(i) ==
    /\ role[i] = Candidate
    /\ votesGranted[i] \in Quorum
    /\ role'       = [role EXCEPT ![i] = Leader]
    /\ nextIndex'  = [nextIndex EXCEPT ![i] = [j \in Server |-> Len(log[i]) + 1]]
    /\ matchIndex' = [matchIndex EXCEPT ![i] = [j \in Server |-> 0]]
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], value |-> NoOp])]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ UNCHANGED <<messageVars, currentTerm, votedFor, commitIndex, durableVars>>

\* ClientRequest(i, v): leader i appends client value v in its term (5.3).
\* Any v: Next draws it from Value, a trace gives the command it carried.
ClientRequest(i, v) ==
    /\ role[i] = Leader
    /\ log' = [log EXCEPT ![i] = Append(@, [term |-> currentTerm[i], value |-> v])]
    /\ UNCHANGED <<messageVars, serverVars, commitIndex, durableVars, candidateVars,
                   leaderVars>>

\* How many entries leader i has for j from nextIndex[i][j] on.
Available(i, j) == Max(0, Len(log[i]) - nextIndex[i][j] + 1)

\* The batch sizes the core may choose: none when nothing is available,
\* otherwise at least one and at most MaxBatch (the core may cut a batch
\* short by bytes, never to zero entries: RaftLog.batchFrom).
BatchSizes(i, j) ==
    IF Available(i, j) = 0 THEN {0} ELSE 1 .. Min(Available(i, j), MaxBatch)

\* AppendEntriesBatch(i, j, n): leader i sends j the n entries from
\* nextIndex[i][j] on, with the entry before them and its commit index (5.3);
\* with n = 0 it is the heartbeat (5.2).  The batch size is a parameter so
\* that a trace can fix it.
\*
\* Pipelining: sending moves nextIndex past the entries sent, so the next
\* request carries only newer entries without waiting for a reply; a lost
\* request shows up as a refusal, which moves nextIndex back.
\*
\* The leader's write in parallel with replication (thesis 10.2.1): the
\* request goes straight into the network, not into the outbox, so it may
\* reach a follower before the leader's own Persist, and a Restart of the
\* leader does not take it back.  Nothing in it waits on the leader's disk:
\* its term was durable before any vote for it was granted, and the leader
\* counts itself toward a commit only for durable entries (CanCommit).
AppendEntriesBatch(i, j, n) ==
    /\ i # j
    /\ role[i] = Leader
    /\ n \in BatchSizes(i, j)
    /\ LET prevLogIndex == nextIndex[i][j] - 1
       IN  SendNow([mtype         |-> AppendEntriesRequest,
                    mterm         |-> currentTerm[i],
                    mprevLogIndex |-> prevLogIndex,
                    mprevLogTerm  |-> TermAt(log[i], prevLogIndex),
                    mentries      |-> SubSeq(log[i], nextIndex[i][j],
                                                     prevLogIndex + n),
                    mcommitIndex  |-> commitIndex[i],
                    msource       |-> i,
                    mdest         |-> j])
    /\ nextIndex' = [nextIndex EXCEPT ![i][j] = @ + n]
    /\ UNCHANGED <<outbox, serverVars, logVars, durableVars, candidateVars, matchIndex>>

\* AppendEntries(i, j): the step as model checking explores it, with the
\* largest batch the count limit allows (what the core sends when commands
\* are small).  Smaller batches are reachable through AppendEntriesBatch.
AppendEntries(i, j) ==
    AppendEntriesBatch(i, j, Min(Available(i, j), MaxBatch))

\* AdvanceCommitIndex(i): leader i commits the highest entry of its term that
\* a quorum stores (5.3, 5.4.2); the core takes the step only when
\* commitIndex moves.
AdvanceCommitIndex(i) ==
    /\ role[i] = Leader
    /\ LET committable == {n \in commitIndex[i] + 1 .. Len(log[i]) : CanCommit(i, n)}
       IN  /\ committable # {}
           /\ commitIndex' = [commitIndex EXCEPT ![i] =
                                CHOOSE n \in committable : \A k \in committable : k <= n]
    /\ UNCHANGED <<messageVars, serverVars, log, durableVars, candidateVars, leaderVars>>

\* Persist(i): the driver made i's state durable, then the outbox leaves
\* (thesis 3.8; RaftNode.advance).  The core emits it only when there was
\* something to persist or send.
Persist(i) ==
    /\ <<durableTerm[i], durableVotedFor[i], durableLog[i], outbox[i]>>
         # <<currentTerm[i], votedFor[i], log[i], EmptyBag>>
    /\ durableTerm'     = [durableTerm EXCEPT ![i] = currentTerm[i]]
    /\ durableVotedFor' = [durableVotedFor EXCEPT ![i] = votedFor[i]]
    /\ durableLog'      = [durableLog EXCEPT ![i] = log[i]]
    /\ network' = network (+) outbox[i]
    /\ outbox'  = [outbox EXCEPT ![i] = EmptyBag]
    /\ UNCHANGED <<serverVars, logVars, candidateVars, leaderVars>>

\* ---------------------------------------------------------------------------
\* Message handlers (RaftNode.step: one step per message, after UpdateTerm)

\* UpdateTerm(i, j, m): a message with a newer term makes i a follower of that
\* term with no vote cast (Figure 2, all servers; 5.1).  It does not consume
\* m: the handler for m is the next step, as in the core.
UpdateTerm(i, j, m) ==
    /\ BagIn(m, network)
    /\ m.msource = j
    /\ m.mdest = i
    /\ m.mterm > currentTerm[i]
    /\ currentTerm' = [currentTerm EXCEPT ![i] = m.mterm]
    /\ role'        = [role EXCEPT ![i] = RoleOnNewTerm(i)]
    /\ RoleBookkeeping(i, RoleOnNewTerm(i))
    /\ votedFor'    = [votedFor EXCEPT ![i] = Nil]
    /\ UNCHANGED <<messageVars, logVars, durableVars>>

\* HandleRequestVoteRequest(i, j, m): i decides on j's request for its vote
\* (Figure 2, RequestVote receiver; 5.2, 5.4.1) and replies.
HandleRequestVoteRequest(i, j, m) ==
    /\ Receivable(i, j, m, RequestVoteRequest)
    /\ m.mterm <= currentTerm[i]
    /\ LET grant == VoteGranted(i, j, m)
       IN  /\ votedFor' = [votedFor EXCEPT ![i] = IF grant THEN j ELSE @]
           /\ Send(i, RequestVoteResponseMsg(i, j, grant))
    /\ network' = Consume(m)
    /\ UNCHANGED <<currentTerm, role, logVars, durableVars, candidateVars, leaderVars>>

\* HandleRequestVoteResponse(i, j, m): a candidate counts a vote granted in its
\* current term (5.2); any other reply is stale and only consumed.
HandleRequestVoteResponse(i, j, m) ==
    /\ Receivable(i, j, m, RequestVoteResponse)
    /\ m.mterm <= currentTerm[i]
    /\ votesGranted' = [votesGranted EXCEPT ![i] =
                          IF /\ m.mterm = currentTerm[i]
                             /\ role[i] = Candidate
                             /\ m.mvoteGranted
                          THEN @ \cup {j}
                          ELSE @]
    /\ network' = Consume(m)
    /\ UNCHANGED <<outbox, serverVars, logVars, durableVars, leaderVars>>

\* The log of i holds the entry m.mentries follows (index 0 always matches).
\* The disjuncts exclude each other: TLC explores every disjunct of an action
\* as an alternative, so the second must not index the log at 0.
LogOk(i, m) ==
    \/ m.mprevLogIndex = 0
    \/ /\ m.mprevLogIndex > 0
       /\ m.mprevLogIndex <= Len(log[i])
       /\ log[i][m.mprevLogIndex].term = m.mprevLogTerm

\* The first index of the run of entries of term TermAt(log[i], n) holding n.
FirstIndexOfTermAt(i, n) ==
    CHOOSE k \in 1 .. n :
      /\ \A l \in k .. n : log[i][l].term = log[i][n].term
      /\ (k = 1 \/ log[i][k - 1].term # log[i][n].term)

\* HandleAppendEntriesRequest(i, j, m): i accepts or rejects j's entries
\* (Figure 2, AppendEntries receiver 1-5; 5.3).  A leader never gets here for
\* its own term: the core drops such a message without a step, and
\* ElectionSafety says it does not exist.
HandleAppendEntriesRequest(i, j, m) ==
    /\ Receivable(i, j, m, AppendEntriesRequest)
    /\ m.mterm <= currentTerm[i]
    /\ m.mterm = currentTerm[i] => role[i] # Leader
    /\ network' = Consume(m)
    /\ \/ \* Receiver 1: a stale leader; its term in the reply tells it so.
          /\ m.mterm < currentTerm[i]
          /\ Send(i, AppendEntriesResponseMsg(i, j, FALSE, 0, 0, 0))
          /\ UNCHANGED <<serverVars, logVars, candidateVars>>
       \/ \* Receiver 2: no entry at prevLogIndex with prevLogTerm.  The reply
          \* names the conflicting term and where it starts, so the leader can
          \* skip a whole term per round trip (the fast back-up of docs/steps.md).
          /\ m.mterm = currentTerm[i]
          /\ ~LogOk(i, m)
          /\ role' = [role EXCEPT ![i] = Follower]
          /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
          /\ IF m.mprevLogIndex > Len(log[i])
             THEN Send(i, AppendEntriesResponseMsg(i, j, FALSE, 0, 0, Len(log[i]) + 1))
             ELSE Send(i, AppendEntriesResponseMsg(i, j, FALSE, 0,
                                                   log[i][m.mprevLogIndex].term,
                                                   FirstIndexOfTermAt(i, m.mprevLogIndex)))
          /\ UNCHANGED <<currentTerm, votedFor, logVars>>
       \/ \* Receivers 3-5: accept, and acknowledge everything the request carried.
          /\ m.mterm = currentTerm[i]
          /\ LogOk(i, m)
          /\ role'        = [role EXCEPT ![i] = Follower]
          /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
          /\ log'         = [log EXCEPT ![i] = AcceptedLog(i, m)]
          /\ commitIndex' = [commitIndex EXCEPT ![i] = FollowerCommitIndex(i, m)]
          /\ Send(i, AppendEntriesResponseMsg(i, j, TRUE,
                                              m.mprevLogIndex + Len(m.mentries), 0, 0))
          /\ UNCHANGED <<currentTerm, votedFor>>
    /\ UNCHANGED <<durableVars, leaderVars>>

\* The last index of leader i's log holding an entry of term t, 0 if none.
LastIndexOfTerm(i, t) ==
    LET holding == {k \in 1 .. Len(log[i]) : log[i][k].term = t}
    IN  IF holding = {} THEN 0 ELSE CHOOSE k \in holding : \A l \in holding : l <= k

\* Where leader i tries next after j's failure reply m (docs/steps.md): past
\* the leader's own entries of the conflicting term if it has any, else at
\* the follower's conflictIndex.
BackOffHint(i, m) ==
    IF m.mconflictTerm # 0 /\ LastIndexOfTerm(i, m.mconflictTerm) # 0
    THEN LastIndexOfTerm(i, m.mconflictTerm) + 1
    ELSE m.mconflictIndex

\* HandleAppendEntriesResponse(i, j, m): leader i learns how far j's log
\* matches its own (5.3).  A success only raises matchIndex and nextIndex and
\* a failure only lowers nextIndex, never below what a success proved, so a
\* reordered or duplicated reply cannot undo progress.  Replies from another
\* term, or to a node that no longer leads, are only consumed.
HandleAppendEntriesResponse(i, j, m) ==
    /\ Receivable(i, j, m, AppendEntriesResponse)
    /\ m.mterm <= currentTerm[i]
    /\ network' = Consume(m)
    /\ IF m.mterm = currentTerm[i] /\ role[i] = Leader
       THEN IF m.msuccess
            THEN LET match == Max(matchIndex[i][j], m.mmatchIndex)
                 IN  /\ matchIndex' = [matchIndex EXCEPT ![i][j] = match]
                     /\ nextIndex'  = [nextIndex EXCEPT ![i][j] = Max(@, match + 1)]
            ELSE /\ nextIndex' = [nextIndex EXCEPT ![i][j] =
                                    Max(matchIndex[i][j] + 1, Min(BackOffHint(i, m), @))]
                 /\ UNCHANGED matchIndex
       ELSE UNCHANGED leaderVars
    /\ UNCHANGED <<outbox, serverVars, logVars, durableVars, candidateVars>>

\* ---------------------------------------------------------------------------
\* Environment steps (the simulator or runtime, not the core)

\* Restart(i): i crashes and restarts from its durable state: a follower that
\* knows nothing committed, with an empty outbox (thesis 3.8).
Restart(i) ==
    /\ currentTerm'  = [currentTerm EXCEPT ![i] = durableTerm[i]]
    /\ votedFor'     = [votedFor EXCEPT ![i] = RestoredVotedFor(i)]
    /\ log'          = [log EXCEPT ![i] = durableLog[i]]
    /\ role'         = [role EXCEPT ![i] = Follower]
    /\ commitIndex'  = [commitIndex EXCEPT ![i] = 0]
    /\ votesGranted' = [votesGranted EXCEPT ![i] = {}]
    /\ nextIndex'    = [nextIndex EXCEPT ![i] = NoNextIndex]
    /\ matchIndex'   = [matchIndex EXCEPT ![i] = NoMatchIndex]
    /\ outbox'       = [outbox EXCEPT ![i] = EmptyBag]
    /\ UNCHANGED <<network, durableVars>>

\* DropMessage(m): the network loses one copy of m.
DropMessage(m) ==
    /\ BagIn(m, network)
    /\ network' = Consume(m)
    /\ UNCHANGED <<outbox, serverVars, logVars, durableVars, candidateVars, leaderVars>>

\* DuplicateMessage(m): the network delivers m once more than it was sent.
DuplicateMessage(m) ==
    /\ BagIn(m, network)
    /\ network' = network (+) One(m)
    /\ UNCHANGED <<outbox, serverVars, logVars, durableVars, candidateVars, leaderVars>>

\* ---------------------------------------------------------------------------
\* The specification

\* Some node takes one step of the core.
NodeNext ==
    \/ \E i \in Server : Timeout(i)
    \/ \E i \in Server : BecomeLeader(i)
    \/ \E i \in Server, v \in Value : ClientRequest(i, v)
    \/ \E i, j \in Server : AppendEntries(i, j)
    \/ \E i \in Server : AdvanceCommitIndex(i)
    \/ \E i \in Server : Persist(i)
    \/ \E m \in BagToSet(network) :
         LET i == m.mdest
             j == m.msource
         IN  \/ UpdateTerm(i, j, m)
             \/ HandleRequestVoteRequest(i, j, m)
             \/ HandleRequestVoteResponse(i, j, m)
             \/ HandleAppendEntriesRequest(i, j, m)
             \/ HandleAppendEntriesResponse(i, j, m)

\* The environment crashes a node or misbehaves as a network.
EnvironmentNext ==
    \/ \E i \in Server : Restart(i)
    \/ \E m \in BagToSet(network) : DropMessage(m)
    \/ \E m \in BagToSet(network) : DuplicateMessage(m)

Next == NodeNext \/ EnvironmentNext

Spec == Init /\ [][Next]_vars

\* ---------------------------------------------------------------------------
\* Properties.  The five of Figure 3 are named as there.

\* Figure 3, Election Safety: at most one leader per term (among the current
\* leaders; a deposed leader keeps its role until it hears of a newer term).
ElectionSafety ==
    \A i, j \in Server :
      (i # j /\ role[i] = Leader /\ role[j] = Leader) => currentTerm[i] # currentTerm[j]

\* Figure 3, Leader Append-Only: a leader never overwrites or deletes entries
\* of its log, only appends (an action property).
LeaderAppendOnly ==
    [][\A i \in Server :
         (role[i] = Leader /\ role'[i] = Leader) => IsPrefix(log[i], log'[i])]_vars

\* Every log in the system, working and durable.
AllLogs == {log[i] : i \in Server} \cup {durableLog[i] : i \in Server}

\* Figure 3, Log Matching: two logs holding an entry with the same index and
\* term are identical up to that index.  Checked on working and durable logs.
LogMatching ==
    \A xlog, ylog \in AllLogs :
      \A n \in 1 .. Min(Len(xlog), Len(ylog)) :
        xlog[n].term = ylog[n].term => SubSeq(xlog, 1, n) = SubSeq(ylog, 1, n)

\* Index n of i's log is known committed by i, and i's log reaches n (the
\* second conjunct keeps the properties below defined in broken variants).
KnownCommitted(i, n) == n <= commitIndex[i] /\ n <= Len(log[i])

\* Figure 3, Leader Completeness: a committed entry is in the log of every
\* leader of a later term.  Stated on the current state: j knows index n is
\* committed, so it was committed in a term no later than currentTerm[j], and
\* every leader of a term at least currentTerm[j] must hold it (the leader of
\* the committing term itself holds it because leaders only append).
LeaderCompleteness ==
    \A i, j \in Server :
      (role[i] = Leader /\ currentTerm[i] >= currentTerm[j]) =>
        \A n \in 1 .. Len(log[j]) :
          KnownCommitted(j, n) => (n <= Len(log[i]) /\ log[i][n] = log[j][n])

\* Figure 3, State Machine Safety: no two nodes know different entries
\* committed at the same index.
StateMachineSafety ==
    \A i, j \in Server :
      \A n \in 1 .. Min(Len(log[i]), Len(log[j])) :
        (KnownCommitted(i, n) /\ KnownCommitted(j, n)) => log[i][n] = log[j][n]

\* A node knows committed only what its log holds.
CommitIndexInLog == \A i \in Server : commitIndex[i] <= Len(log[i])

\* What a node knows committed is on the durable logs of a quorum: no set of
\* crashes can lose it (thesis 3.8).
CommittedOnQuorum ==
    \A i \in Server :
      \A n \in 1 .. Len(log[i]) :
        KnownCommitted(i, n) =>
          {k \in Server : n <= Len(durableLog[k]) /\ durableLog[k][n] = log[i][n]} \in Quorum

\* A leader's log extends its durable log, which is why Len(durableLog[i]) is
\* the core's stableIndex in IsReplicatedOnQuorum.
LeaderLogExtendsDurableLog ==
    \A i \in Server : role[i] = Leader => IsPrefix(durableLog[i], log[i])

\* The core refuses, as impossible, an AppendEntriesRequest that would delete
\* an entry its receiver knows committed (RaftNode.rejectionReason): no such
\* request is ever in the network.
ConflictIndex(i, m) ==
    LET k == FirstNewEntry(i, m)
    IN  IF k = 0 \/ m.mprevLogIndex + k > Len(log[i]) THEN 0 ELSE m.mprevLogIndex + k

NoAppendEntriesDeletesCommitted ==
    \A m \in BagToSet(network) :
      (/\ m.mtype = AppendEntriesRequest
       /\ m.mterm >= currentTerm[m.mdest]
       /\ LogOk(m.mdest, m)) =>
         ConflictIndex(m.mdest, m) \notin 1 .. commitIndex[m.mdest]

\* The core also refuses, as impossible, a success reply of the leader's term
\* that acknowledges entries beyond the leader's log: none is ever sent.
NoAcknowledgementBeyondLeaderLog ==
    \A m \in BagToSet(network) :
      (/\ m.mtype = AppendEntriesResponse
       /\ m.msuccess
       /\ m.mterm = currentTerm[m.mdest]
       /\ role[m.mdest] = Leader) =>
         m.mmatchIndex <= Len(log[m.mdest])

\* Candidate and leader bookkeeping exist only in their role (RoleBookkeeping).
BookkeepingOnlyInRole ==
    \A i \in Server :
      /\ role[i] # Candidate => votesGranted[i] = {}
      /\ role[i] # Leader => nextIndex[i] = NoNextIndex /\ matchIndex[i] = NoMatchIndex

\* Types.  Messages are checked field by field rather than against a set of
\* all records, which TLC would enumerate.
Entry == [term : Nat, value : Value \cup {NoOp}]

IsLog(xlog) == xlog \in Seq(Entry)

IsMessage(m) ==
    /\ m.mtype \in {RequestVoteRequest, RequestVoteResponse,
                    AppendEntriesRequest, AppendEntriesResponse}
    /\ m.msource \in Server
    /\ m.mdest \in Server \ {m.msource}
    /\ m.mterm \in Nat \ {0}
    /\ m.mtype = RequestVoteRequest =>
         m = [mtype |-> m.mtype, mterm |-> m.mterm, mlastLogTerm |-> m.mlastLogTerm,
              mlastLogIndex |-> m.mlastLogIndex, msource |-> m.msource, mdest |-> m.mdest]
         /\ m.mlastLogTerm \in Nat /\ m.mlastLogIndex \in Nat
    /\ m.mtype = RequestVoteResponse =>
         m = [mtype |-> m.mtype, mterm |-> m.mterm, mvoteGranted |-> m.mvoteGranted,
              msource |-> m.msource, mdest |-> m.mdest]
         /\ m.mvoteGranted \in BOOLEAN
    /\ m.mtype = AppendEntriesRequest =>
         m = [mtype |-> m.mtype, mterm |-> m.mterm, mprevLogIndex |-> m.mprevLogIndex,
              mprevLogTerm |-> m.mprevLogTerm, mentries |-> m.mentries,
              mcommitIndex |-> m.mcommitIndex, msource |-> m.msource, mdest |-> m.mdest]
         /\ m.mprevLogIndex \in Nat /\ m.mprevLogTerm \in Nat
         /\ IsLog(m.mentries) /\ Len(m.mentries) <= MaxBatch
         /\ m.mcommitIndex \in Nat
    /\ m.mtype = AppendEntriesResponse =>
         m = [mtype |-> m.mtype, mterm |-> m.mterm, msuccess |-> m.msuccess,
              mmatchIndex |-> m.mmatchIndex, mconflictTerm |-> m.mconflictTerm,
              mconflictIndex |-> m.mconflictIndex, msource |-> m.msource, mdest |-> m.mdest]
         /\ m.msuccess \in BOOLEAN
         /\ {m.mmatchIndex, m.mconflictTerm, m.mconflictIndex} \subseteq Nat

IsMessageBag(b) == IsABag(b) /\ \A m \in BagToSet(b) : IsMessage(m)

TypeOK ==
    /\ IsMessageBag(network)
    /\ \A i \in Server : IsMessageBag(outbox[i])
    /\ currentTerm \in [Server -> Nat]
    /\ votedFor \in [Server -> Server \cup {Nil}]
    /\ role \in [Server -> {Follower, Candidate, Leader}]
    /\ \A i \in Server : IsLog(log[i]) /\ IsLog(durableLog[i])
    /\ commitIndex \in [Server -> Nat]
    /\ durableTerm \in [Server -> Nat]
    /\ durableVotedFor \in [Server -> Server \cup {Nil}]
    /\ votesGranted \in [Server -> SUBSET Server]
    /\ nextIndex \in [Server -> [Server -> Nat \ {0}]]
    /\ matchIndex \in [Server -> [Server -> Nat]]

=============================================================================
