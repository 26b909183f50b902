------------------------------ MODULE TraceData ------------------------------
(***************************************************************************)
(* The trace that spec/TraceRaft.tla replays: its events, in order, as a   *)
(* sequence of records (docs/trace-format.md says what each field means).  *)
(*                                                                         *)
(* This definition is a placeholder.  trace-check replaces it, either by a *)
(* Java operator that reads the ndjson file named by the system property   *)
(* raftref.trace (org.raftref.tracecheck.validate.TraceDataOverride), or   *)
(* by writing this module out with every event spelled in TLA+.           *)
(*                                                                         *)
(* An event record has the field action and, as the action needs, node,   *)
(* peer, value, recv, sent, msg (messages shaped as Raft.tla's) and state: *)
(* [currentTerm, votedFor, role, commitIndex, log (runs <<term, last>>),   *)
(*  nextIndex and matchIndex (functions on the peers, for a leader), votes *)
(*  (a set, for a candidate)].                                             *)
(***************************************************************************)
EXTENDS Sequences, TLC

\* Fails loudly if TLC runs without trace-check's override on its class path.
TraceEvents == Assert(FALSE, "TraceEvents is given by trace-check: run trace-check validate FILE")

=============================================================================
