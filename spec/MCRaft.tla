------------------------------- MODULE MCRaft -------------------------------
(***************************************************************************)
(* Model checking of Raft.tla: bounds that make the state space finite.    *)
(*                                                                         *)
(* Terms, log lengths and the number of messages in flight are bounded by  *)
(* a state constraint.  Crashes, drops and duplications are bounded by     *)
(* budgets counted in three extra variables: without them TLC could crash  *)
(* and duplicate forever.  The configurations (ci.cfg, deep.cfg, ...) set  *)
(* the bounds; docs/spec.md says how to run them.                          *)
(***************************************************************************)
EXTENDS Raft, TLC

\* The largest term a node may reach.
CONSTANT MaxTerm
\* The longest log a node may hold.
CONSTANT MaxLogLength
\* The most messages in flight: in the network plus in all outboxes.
CONSTANT MaxMessages
\* Budgets for the environment's steps over a whole behaviour: of each kind,
\* and of all kinds together.
CONSTANT MaxRestarts, MaxDrops, MaxDuplicates, MaxFaults

\* How many of each environment step the behaviour has taken so far.
VARIABLE restarts, drops, duplicates

faultVars == <<restarts, drops, duplicates>>
mcVars == <<vars, faultVars>>

MCInit == Init /\ restarts = 0 /\ drops = 0 /\ duplicates = 0

\* The environment spends one step of its budget of each kind.
FaultBudgetLeft == restarts + drops + duplicates < MaxFaults
SpendRestart ==
    /\ FaultBudgetLeft /\ restarts < MaxRestarts
    /\ restarts' = restarts + 1 /\ UNCHANGED <<drops, duplicates>>
SpendDrop ==
    /\ FaultBudgetLeft /\ drops < MaxDrops
    /\ drops' = drops + 1 /\ UNCHANGED <<restarts, duplicates>>
SpendDuplicate ==
    /\ FaultBudgetLeft /\ duplicates < MaxDuplicates
    /\ duplicates' = duplicates + 1 /\ UNCHANGED <<restarts, drops>>

\* Raft's Next (NodeNext \/ EnvironmentNext, disjunct by disjunct) with the
\* budgets.  One action per line with the action first: TLC names a step of
\* this relation only by its position ("line 50, col 26 of module MCRaft"),
\* and the TLC runner reads the action's name at that position.
MCNext ==
    \/ \E i \in Server : Timeout(i) /\ UNCHANGED faultVars
    \/ \E i \in Server : BecomeLeader(i) /\ UNCHANGED faultVars
    \/ \E i \in Server, v \in Value : ClientRequest(i, v) /\ UNCHANGED faultVars
    \/ \E i, j \in Server : AppendEntries(i, j) /\ UNCHANGED faultVars
    \/ \E i \in Server : AdvanceCommitIndex(i) /\ UNCHANGED faultVars
    \/ \E i \in Server : Persist(i) /\ UNCHANGED faultVars
    \/ \E m \in BagToSet(network) : UpdateTerm(m.mdest, m.msource, m) /\ UNCHANGED faultVars
    \/ \E m \in BagToSet(network) : HandleRequestVoteRequest(m.mdest, m.msource, m) /\ UNCHANGED faultVars
    \/ \E m \in BagToSet(network) : HandleRequestVoteResponse(m.mdest, m.msource, m) /\ UNCHANGED faultVars
    \/ \E m \in BagToSet(network) : HandleAppendEntriesRequest(m.mdest, m.msource, m) /\ UNCHANGED faultVars
    \/ \E m \in BagToSet(network) : HandleAppendEntriesResponse(m.mdest, m.msource, m) /\ UNCHANGED faultVars
    \/ \E i \in Server : Restart(i) /\ SpendRestart
    \/ \E m \in BagToSet(network) : DropMessage(m) /\ SpendDrop
    \/ \E m \in BagToSet(network) : DuplicateMessage(m) /\ SpendDuplicate

MCSpec == MCInit /\ [][MCNext]_mcVars

\* Messages in flight: in the network and in all outboxes.
RECURSIVE OutboxMessages(_)
OutboxMessages(S) ==
    IF S = {} THEN 0
    ELSE LET i == CHOOSE k \in S : TRUE
         IN  BagCardinality(outbox[i]) + OutboxMessages(S \ {i})

InFlight == BagCardinality(network) + OutboxMessages(Server)

\* The state constraint: states beyond the bounds are checked but not explored.
StateConstraint ==
    /\ \A i \in Server : currentTerm[i] <= MaxTerm /\ Len(log[i]) <= MaxLogLength
    /\ InFlight <= MaxMessages

\* Nodes and client values are interchangeable.
Symmetry == Permutations(Server) \cup Permutations(Value)

\* ---------------------------------------------------------------------------
\* Liveness (liveness.cfg): no symmetry, which TLC cannot combine with it

\* A message from j to i is received: UpdateTerm or the handler of its type.
Receive(i, j) ==
    \E m \in BagToSet(network) :
      \/ UpdateTerm(i, j, m)
      \/ HandleRequestVoteRequest(i, j, m)
      \/ HandleRequestVoteResponse(i, j, m)
      \/ HandleAppendEntriesRequest(i, j, m)
      \/ HandleAppendEntriesResponse(i, j, m)

\* Weak fairness for every node step but Timeout (a node may wait as long as
\* it likes before it starts an election), and for no environment step.
NodeFairness ==
    /\ \A i \in Server : WF_mcVars(BecomeLeader(i) /\ UNCHANGED faultVars)
    /\ \A i \in Server : WF_mcVars(AdvanceCommitIndex(i) /\ UNCHANGED faultVars)
    /\ \A i \in Server : WF_mcVars(Persist(i) /\ UNCHANGED faultVars)
    /\ \A i, j \in Server : WF_mcVars(AppendEntries(i, j) /\ UNCHANGED faultVars)
    /\ \A i, j \in Server : WF_mcVars(Receive(i, j) /\ UNCHANGED faultVars)

LiveSpec == MCSpec /\ NodeFairness

\* Once a node leads, every node eventually knows the leader's first entry
\* committed: replication and commitment make progress while nobody starts
\* another election.
LeaderCommitsEverywhere ==
    (\E i \in Server : role[i] = Leader) ~> (\A j \in Server : commitIndex[j] >= 1)

=============================================================================
