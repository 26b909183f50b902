------------------------------ MODULE TraceRaft ------------------------------
(***************************************************************************)
(* Trace validation: replays a trace of the implementation, one event per  *)
(* step, through the actions of Raft.tla.                                 *)
(*                                                                         *)
(* Each event names a Raft action and fixes every one of its parameters    *)
(* (node, peer, message, batch size, client value); the step must then     *)
(* reach the state the event records for the node and send the message it *)
(* records.  So each state has at most one successor: TLC never branches, *)
(* and a trace of N events is valid exactly when TLC reaches depth N + 1   *)
(* (trace-check also requires that it generated exactly N + 1 states).     *)
(*                                                                         *)
(* When the replay stops early at event k, trace-check runs TLC again with *)
(* DiagnoseAt = k: DiagnoseStep then prints, from the spec, why event k    *)
(* could not be taken (a guard that does not hold) or how the state it    *)
(* leads to differs from the recorded one (expected = spec, actual =      *)
(* trace), and takes no step.                                              *)
(***************************************************************************)
EXTENDS Raft, TraceData, TLC

\* The event to diagnose after a failed replay; 0 (no event) while replaying.
CONSTANT DiagnoseAt

\* The values trace-check gives Raft.tla's constants: a trace writes "no vote"
\* as 0 and the no-op entry's command as "" (docs/trace-format.md, "Values").
TraceNil == 0
TraceNoOp == ""
TraceValue == {}

\* The position in TraceEvents of the next event to replay.
VARIABLE traceIndex

traceVars == <<vars, traceIndex>>

\* ---------------------------------------------------------------------------
\* Replay

\* The Raft action that event e names, with every parameter taken from e.  The
\* trace's AppendEntries is the spec's AppendEntriesBatch with the batch size
\* the event's message carries.
RaftAction(e) ==
    CASE e.action = "Timeout"                     -> Timeout(e.node)
      [] e.action = "UpdateTerm"                  -> UpdateTerm(e.node, e.peer, e.recv)
      [] e.action = "HandleRequestVoteRequest"    -> HandleRequestVoteRequest(e.node, e.peer, e.recv)
      [] e.action = "HandleRequestVoteResponse"   -> HandleRequestVoteResponse(e.node, e.peer, e.recv)
      [] e.action = "BecomeLeader"                -> BecomeLeader(e.node)
      [] e.action = "ClientRequest"               -> ClientRequest(e.node, e.value)
      [] e.action = "AppendEntries"               -> AppendEntriesBatch(e.node, e.peer, Len(e.sent.mentries))
      [] e.action = "HandleAppendEntriesRequest"  -> HandleAppendEntriesRequest(e.node, e.peer, e.recv)
      [] e.action = "HandleAppendEntriesResponse" -> HandleAppendEntriesResponse(e.node, e.peer, e.recv)
      [] e.action = "AdvanceCommitIndex"          -> AdvanceCommitIndex(e.node)
      [] e.action = "Persist"                     -> Persist(e.node)
      [] e.action = "Restart"                     -> Restart(e.node)
      [] e.action = "DropMessage"                 -> DropMessage(e.msg)
      [] e.action = "DuplicateMessage"            -> DuplicateMessage(e.msg)

\* The length of the log that runs (<<term, lastIndex>>, in order) describe.
RunsLength(runs) == IF runs = << >> THEN 0 ELSE runs[Len(runs)][2]

\* xlog has the terms the runs describe.  Checking each run's first and last
\* entry suffices because the terms of a log of the spec never decrease
\* (entries are appended in the leader's current term, the highest it knows).
LogMatchesRuns(xlog, runs) ==
    /\ Len(xlog) = RunsLength(runs)
    /\ \A r \in 1 .. Len(runs) :
         LET first == IF r = 1 THEN 1 ELSE runs[r - 1][2] + 1
         IN  /\ xlog[first].term = runs[r][1]
             /\ xlog[runs[r][2]].term = runs[r][1]

\* After the step, node i's state is the one the event records (primed:
\* evaluated on the successor state).
StateMatches(i, s) ==
    /\ currentTerm'[i] = s.currentTerm
    /\ votedFor'[i] = s.votedFor
    /\ role'[i] = s.role
    /\ commitIndex'[i] = s.commitIndex
    /\ LogMatchesRuns(log'[i], s.log)
    /\ s.role = Leader =>
         /\ [j \in Server \ {i} |-> nextIndex'[i][j]] = s.nextIndex
         /\ [j \in Server \ {i} |-> matchIndex'[i][j]] = s.matchIndex
    /\ s.role = Candidate => votesGranted'[i] = s.votes

\* The step put exactly the recorded message into node i's outbox, or, for a
\* leader's AppendEntriesRequest, straight into the network (AppendEntriesBatch).
SentMatches(i, m) ==
    IF m.mtype = AppendEntriesRequest
    THEN network' = network (+) One(m)
    ELSE outbox'[i] = outbox[i] (+) One(m)

\* Replays the next event.
ReplayStep ==
    /\ traceIndex <= Len(TraceEvents)
    /\ LET e == TraceEvents[traceIndex]
       IN  /\ RaftAction(e)
           /\ "state" \in DOMAIN e => StateMatches(e.node, e.state)
           /\ "sent" \in DOMAIN e => SentMatches(e.node, e.sent)
    /\ traceIndex' = traceIndex + 1

\* ---------------------------------------------------------------------------
\* Diagnosis (only at traceIndex = DiagnoseAt).  Lines printed start with
\* "raftref: " for trace-check to pick them out of TLC's output.

Say(text) == PrintT("raftref: " \o text)

\* A guard of an action: its description, whether it holds, and the values it
\* depends on.
Guard(description, holds, values) == [what |-> description, holds |-> holds, values |-> values]

\* What the network and the sender's outbox hold of message m.
Whereabouts(m) ==
    "copies in the network: " \o ToString(CopiesIn(m, network))
      \o ", in node " \o ToString(m.msource) \o "'s outbox (sent, not yet persisted): "
      \o ToString(CopiesIn(m, outbox[m.msource]))

\* The guards a message handler shares: Receivable and the term check.
ReceiveGuards(e, type, termGuard, termText) ==
    LET i == e.node  m == e.recv
    IN  << Guard("m in the network", BagIn(m, network), Whereabouts(m)),
           Guard("m.mtype = " \o type, m.mtype = type, "m.mtype = " \o ToString(m.mtype)),
           Guard("m.msource = peer " \o ToString(e.peer), m.msource = e.peer,
                 "m.msource = " \o ToString(m.msource)),
           Guard("m.mdest = node " \o ToString(i), m.mdest = i, "m.mdest = " \o ToString(m.mdest)),
           Guard(termText, termGuard,
                 "m.mterm = " \o ToString(m.mterm) \o ", currentTerm[" \o ToString(i) \o "] = "
                   \o ToString(currentTerm[i])) >>

\* The guards of the action event e names (all of them, holding or not).
Guards(e) ==
    LET i == e.node
        IsRole(roles, text) == Guard("role[" \o ToString(i) \o "] is " \o text, role[i] \in roles,
                                     "role[" \o ToString(i) \o "] = " \o ToString(role[i]))
    IN
    CASE e.action = "Timeout" -> << IsRole({Follower, Candidate}, "Follower or Candidate") >>
      [] e.action = "UpdateTerm" ->
           LET m == e.recv
           IN  << Guard("m in the network", BagIn(m, network), Whereabouts(m)),
                  Guard("m.msource = peer, m.mdest = node", m.msource = e.peer /\ m.mdest = i,
                        "m.msource = " \o ToString(m.msource) \o ", m.mdest = " \o ToString(m.mdest)),
                  Guard("m.mterm > currentTerm[i]", m.mterm > currentTerm[i],
                        "m.mterm = " \o ToString(m.mterm) \o ", currentTerm[" \o ToString(i) \o "] = "
                          \o ToString(currentTerm[i])) >>
      [] e.action \in {"HandleRequestVoteRequest", "HandleRequestVoteResponse",
                       "HandleAppendEntriesRequest", "HandleAppendEntriesResponse"} ->
           LET type == IF e.action = "HandleRequestVoteRequest" THEN RequestVoteRequest
                       ELSE IF e.action = "HandleRequestVoteResponse" THEN RequestVoteResponse
                       ELSE IF e.action = "HandleAppendEntriesRequest" THEN AppendEntriesRequest
                       ELSE AppendEntriesResponse
               guards == ReceiveGuards(e, type, e.recv.mterm <= currentTerm[i],
                                       "m.mterm <= currentTerm[i] (a newer term needs UpdateTerm first)")
           IN  IF e.action = "HandleAppendEntriesRequest"
               THEN Append(guards, Guard("i does not lead m's term",
                                         ~(e.recv.mterm = currentTerm[i] /\ role[i] = Leader),
                                         "role[" \o ToString(i) \o "] = " \o ToString(role[i])))
               ELSE guards
      [] e.action = "BecomeLeader" ->
           << IsRole({Candidate}, "Candidate"),
              Guard("votesGranted[i] is a quorum", votesGranted[i] \in Quorum,
                    "votesGranted[" \o ToString(i) \o "] = " \o ToString(votesGranted[i])) >>
      [] e.action = "ClientRequest" -> << IsRole({Leader}, "Leader") >>
      [] e.action = "AppendEntries" ->
           LET j == e.peer  n == Len(e.sent.mentries)
           IN  << IsRole({Leader}, "Leader"),
                  Guard("peer is not the node", i # j, "peer = " \o ToString(j)),
                  Guard("the batch size is one the spec allows", n \in BatchSizes(i, j),
                        "batch size " \o ToString(n) \o ", allowed " \o ToString(BatchSizes(i, j))
                          \o " (nextIndex[" \o ToString(i) \o "][" \o ToString(j) \o "] = "
                          \o ToString(nextIndex[i][j]) \o ", Len(log) = " \o ToString(Len(log[i]))
                          \o ", MaxBatch = " \o ToString(MaxBatch) \o ")") >>
      [] e.action = "AdvanceCommitIndex" ->
           << IsRole({Leader}, "Leader"),
              Guard("an index above commitIndex can commit",
                    \E n \in commitIndex[i] + 1 .. Len(log[i]) : CanCommit(i, n),
                    "commitIndex = " \o ToString(commitIndex[i]) \o ", log terms = "
                      \o ToString([k \in 1 .. Len(log[i]) |-> log[i][k].term])
                      \o ", currentTerm = " \o ToString(currentTerm[i])
                      \o ", matchIndex = " \o ToString(matchIndex[i])
                      \o ", Len(durableLog) = " \o ToString(Len(durableLog[i]))) >>
      [] e.action = "Persist" ->
           << Guard("there is something to persist or send",
                    <<durableTerm[i], durableVotedFor[i], durableLog[i], outbox[i]>>
                      # <<currentTerm[i], votedFor[i], log[i], EmptyBag>>,
                    "the durable state equals the working state and the outbox is empty") >>
      [] e.action = "Restart" -> << >>
      [] e.action \in {"DropMessage", "DuplicateMessage"} ->
           << Guard("m in the network", BagIn(e.msg, network), Whereabouts(e.msg)) >>

\* The log's terms as runs <<term, lastIndex>>, as a trace writes them.
RECURSIVE RunsFrom(_, _)
RunsFrom(xlog, k) ==
    IF k > Len(xlog) THEN << >>
    ELSE LET end == CHOOSE n \in k .. Len(xlog) :
                      /\ xlog[n].term = xlog[k].term
                      /\ (n = Len(xlog) \/ xlog[n + 1].term # xlog[k].term)
         IN  << <<xlog[k].term, end>> >> \o RunsFrom(xlog, end + 1)

\* A difference between the successor state (expected, from the spec) and the
\* event (actual, from the trace).
Diff(field, expected, actual) == [field |-> field, expected |-> expected, actual |-> actual]

\* A message bag after holds one copy more of than bag before.
Added(before, after) == CHOOSE m \in BagToSet(after) : CopiesIn(m, after) > CopiesIn(m, before)

\* The message the step sent: into node i's outbox, or into the network.
NewMessage(i) == IF outbox'[i] # outbox[i] THEN Added(outbox[i], outbox'[i]) ELSE Added(network, network')

\* The fields of Raft.tla's messages, in the order a diagnosis lists them.
MessageFields ==
    << "mtype", "mterm", "msource", "mdest", "mlastLogTerm", "mlastLogIndex", "mvoteGranted",
       "mprevLogIndex", "mprevLogTerm", "mentries", "mcommitIndex", "msuccess", "mmatchIndex",
       "mconflictTerm", "mconflictIndex" >>

\* Every field of the recorded state and message, compared with the spec's.
Comparisons(e) ==
    LET i == e.node
        s == e.state
        state ==
          << Diff("state.currentTerm", currentTerm'[i], s.currentTerm),
             Diff("state.votedFor", votedFor'[i], s.votedFor),
             Diff("state.role", role'[i], s.role),
             Diff("state.commitIndex", commitIndex'[i], s.commitIndex),
             Diff("state.log (runs of <<term, lastIndex>>)", RunsFrom(log'[i], 1), s.log) >>
             \o (IF s.role = Leader
                 THEN << Diff("state.nextIndex", [j \in Server \ {i} |-> nextIndex'[i][j]], s.nextIndex),
                         Diff("state.matchIndex", [j \in Server \ {i} |-> matchIndex'[i][j]], s.matchIndex) >>
                 ELSE << >>)
             \o (IF s.role = Candidate THEN << Diff("state.votes", votesGranted'[i], s.votes) >> ELSE << >>)
        sent ==
          IF "sent" \notin DOMAIN e THEN << >>
          ELSE IF outbox'[i] = outbox[i] /\ network' = network THEN << Diff("sent", "nothing", e.sent) >>
          ELSE LET m == NewMessage(i)
               IN  IF DOMAIN m # DOMAIN e.sent THEN << Diff("sent", m, e.sent) >>
                   ELSE [k \in 1 .. Len(MessageFields) |->
                           LET f == MessageFields[k]
                           IN  IF f \in DOMAIN m THEN Diff("sent." \o f, m[f], e.sent[f])
                               ELSE Diff(f, "absent", "absent")]
    IN  (IF "state" \in DOMAIN e THEN state ELSE << >>) \o sent

DiagnoseStep ==
    /\ traceIndex = DiagnoseAt
    /\ LET e == TraceEvents[traceIndex]
       IN  \/ /\ ~ENABLED RaftAction(e)
              /\ \A k \in 1 .. Len(Guards(e)) :
                   ~Guards(e)[k].holds => Say("requires " \o Guards(e)[k].what \o ", but "
                                              \o Guards(e)[k].values)
              /\ FALSE
           \/ /\ RaftAction(e)
              /\ \A k \in 1 .. Len(Comparisons(e)) :
                   LET d == Comparisons(e)[k]
                   IN  d.expected # d.actual => Say("field " \o d.field \o ": expected "
                                                     \o ToString(d.expected) \o " (spec), actual "
                                                     \o ToString(d.actual) \o " (trace)")
              /\ FALSE

\* ---------------------------------------------------------------------------
\* The replay as a specification

TraceInit == Init /\ traceIndex = 1

TraceNext == ReplayStep \/ DiagnoseStep

\* TLC fingerprints only the position in the trace: each position has at most
\* one state (TLC never branches), so it identifies the state, and hashing the
\* whole state (logs, network) at every step would dominate the replay time.
\* trace-check checks the "never branches" claim: states generated = N + 1.
TraceView == traceIndex

=============================================================================
