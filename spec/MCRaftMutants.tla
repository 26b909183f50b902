---------------------------- MODULE MCRaftMutants ----------------------------
(***************************************************************************)
(* Known Raft bugs, each written as a replacement for one protocol rule of *)
(* Raft.tla.  A configuration in spec/mutants/ swaps one rule for its      *)
(* mutant with TLC's operator substitution (`Rule <- Mutant` under         *)
(* CONSTANTS), and TLC must then report a violation of the property named  *)
(* in that configuration.  This shows that the properties and the bounds   *)
(* of the model are strong enough to catch each bug.                       *)
(***************************************************************************)
EXTENDS MCRaft

\* Figure 8 of the paper: the leader commits an entry of an earlier term as
\* soon as a quorum stores it.  Replaces CanCommit.
CommitByCountingOldReplicas(i, n) == IsReplicatedOnQuorum(i, n)

\* votedFor is not persistent: a restarted node has forgotten its vote and may
\* vote again in the same term.  Replaces RestoredVotedFor.
VoteForgottenOnRestart(i) == Nil

\* The voter does not compare logs (5.4.1 left out).  Replaces
\* CandidateLogIsUpToDate.
AnyCandidateIsUpToDate(i, m) == TRUE

\* The follower replaces everything after prevLogIndex with the request's
\* entries, even when they all match: a delayed or duplicated request then
\* deletes entries a later request appended.  Replaces AcceptedLog.
TruncateAfterPrevLogIndex(i, m) == SubSeq(log[i], 1, m.mprevLogIndex) \o m.mentries

\* A node that learns of a newer term keeps its role (a leader goes on
\* leading, a candidate goes on counting old votes).  Replaces RoleOnNewTerm.
KeepRoleOnNewTerm(i) == role[i]

\* The follower takes the leader's commit index without the min with the
\* last index the request vouches for.  Replaces FollowerCommitIndex.
CommitLeaderCommitIndex(i, m) == Max(commitIndex[i], m.mcommitIndex)

\* A follower that never advances its commit index: safe, but the leader's
\* commits never reach the followers, which the liveness property notices.
\* Replaces FollowerCommitIndex (mutants/followers-never-learn-commit.cfg).
FollowerCommitIndexNeverMoves(i, m) == commitIndex[i]

=============================================================================
