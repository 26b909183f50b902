package org.raftref.tracecheck.zoo;

import java.util.List;
import java.util.Optional;
import org.raftref.trace.TraceAction;

/**
 * The zoo: known Raft bugs, each a source patch of the core with its source, the scenario that exercises it,
 * and what the checks said about that scenario (docs/bug-zoo.md has the table and the reasons).
 *
 * <p>The scenarios were found by SeedSearch (a tool in the test sources): generated fault schedules, run with
 * the mutant and with the
 * core as it is, until the two traces differ and trace validation rejects the mutant's. The expected values
 * are what those deterministic runs gave; a change in the core or the simulator that changes them makes the
 * test fail and shows the new values (rerun SeedSearch if the bug is no longer exercised).
 */
public final class BugCatalog {

  private BugCatalog() {}

  /** The bug named {@code name}, if the catalog has one. */
  public static Optional<Bug> named(String name) {
    return bugs().stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** The catalog's names, in catalog order, comma-separated: for error messages. */
  public static String names() {
    return String.join(", ", bugs().stream().map(Bug::name).toList());
  }

  public static List<Bug> bugs() {
    return List.of(
        new Bug("figure8-commit",
            "a leader commits an entry of an earlier term by counting its replicas",
            "paper §5.4.2 and Figure 8; thesis §3.6.2; logcabin/logcabin#44, canonical/raft#220, "
                + "async-raft/async-raft#108, goraft/raft#27",
            List.of(Patch.node("n > commitIndex && log.term(n) == currentTerm; n--", "n > commitIndex; n--")),
            new Scenario(0L, "nodes=3;duration=3000;every=237;keepdown=1;526:disconnect:2;1197:crash:1;1789:duplicate:0.021;2469:reliable:off;2869:restart:1", 1, 1000), 303, TraceAction.AdvanceCommitIndex, "passed"),
        new Bug("vote-not-persisted",
            "votedFor is left out of the Ready's hard state: the vote is answered but never made durable",
            "thesis §3.8 (persist before replying); Figure 2 (persistent state); vesoft-inc/nebula#3415 "
                + "(a candidate's vote for itself was not saved)",
            List.of(Patch.node("hard.equals(persistedHardState) ? null : hard,",
                    "hard.equals(persistedHardState) ? null : new HardState(hard.currentTerm(), 0),"),
                Patch.node("      persistedHardState = ready.hardState();", "      persistedHardState = hardState();")),
            new Scenario(0L, "nodes=3;duration=3000;every=237;keepdown=1;526:disconnect:2;1197:crash:1;1789:duplicate:0.021;2469:reliable:off;2869:restart:1", 64, 1000), 236, TraceAction.HandleAppendEntriesRequest, "passed"),
        new Bug("vote-without-up-to-date-check",
            "a vote is granted without checking that the candidate's log is at least as up to date",
            "paper §5.4.1 (election restriction), Figure 2 RequestVote receiver 2; Students' Guide to Raft",
            List.of(Patch.node("&& candidateIsUpToDate(m.lastLogTerm(), m.lastLogIndex());", ";")),
            new Scenario(2L, "nodes=3;duration=3000;every=98;keepdown=1;700:disconnect:3;1750:crash:2;2537:disconnect:2", 64, 1000), 283, TraceAction.HandleRequestVoteRequest, "LeaderCompleteness at step 256"),
        new Bug("up-to-date-by-length-only",
            "logs are compared by length only, not by the term of the last entry first",
            "paper §5.4.1 (\"up-to-date\": last term first, then length); Students' Guide to Raft",
            List.of(Patch.node("return lastLogTerm > log.lastTerm() || (lastLogTerm == log.lastTerm() "
                + "&& lastLogIndex >= log.lastIndex());", "return lastLogIndex >= log.lastIndex();")),
            new Scenario(16L, "nodes=3;duration=3000;every=197;keepdown=2;1304:disconnect:3;2868:disconnect:2", 64, 1000), 443, TraceAction.HandleRequestVoteRequest, "LeaderCompleteness at step 327"),
        new Bug("no-prev-log-term-check",
            "AppendEntries is accepted when the log holds prevLogIndex, whatever the term there",
            "paper §5.3 (consistency check), Figure 2 AppendEntries receiver 2; Students' Guide to Raft; "
                + "ktoso/akka-raft#32",
            List.of(Patch.node("    if (!log.matches(m.prevLogIndex(), m.prevLogTerm())) {\n"
                + "      if (m.prevLogIndex() > log.lastIndex()) {",
                "    if (m.prevLogIndex() > log.lastIndex()) {\n      if (m.prevLogIndex() > log.lastIndex()) {")),
            new Scenario(7L, "nodes=3;duration=3000;every=442;keepdown=;480:heal;796:disconnect:2;1549:crash:1;2052:restart:1;2378:reorder:on", 64, 1000), 289, TraceAction.HandleAppendEntriesRequest, "StateMachineSafety at step 233"),
        new Bug("truncate-on-matching-entries",
            "a follower truncates its log after prevLogIndex on every AppendEntries, even a stale or duplicate "
                + "one whose entries all match",
            "Figure 2 AppendEntries receiver 3 (delete only on a conflict); Students' Guide to Raft; "
                + "hashicorp/raft#113",
            List.of(Patch.node("      return;\n    }\n    long index = m.prevLogIndex();\n",
                "      return;\n    }\n    long index = m.prevLogIndex();\n    if (index < log.lastIndex()) {\n"
                    + "      log.truncateFrom(index + 1);\n      stableIndex = Math.min(stableIndex, index);\n    }\n")),
            new Scenario(29L, "nodes=3;duration=3000;every=23;keepdown=2;809:crash:1;1344:reliable:off;2127:restart:1;2699:crash:1", 64, 1000), 629, TraceAction.HandleAppendEntriesRequest, "passed"),
        new Bug("conflicting-tail-kept",
            "a conflicting entry is overwritten in place and the entries after it are kept",
            "Figure 2 AppendEntries receiver 3 (\"delete the existing entry and all that follow it\"), §5.3; "
                + "mofa-org/mofa#1150",
            List.of(Patch.node("      if (index <= log.lastIndex()) {\n        log.truncateFrom(index);\n"
                + "        stableIndex = Math.min(stableIndex, index - 1);\n      }\n",
                "      if (index <= log.lastIndex()) {\n"
                    + "        List<LogEntry> tail = log.slice(index + 1, log.lastIndex());\n"
                    + "        log.truncateFrom(index);\n        stableIndex = Math.min(stableIndex, index - 1);\n"
                    + "        log.append(entry);\n        tail.forEach(log::append);\n        continue;\n      }\n")),
            new Scenario(16L, "nodes=3;duration=3000;every=197;keepdown=2;1304:disconnect:3;2868:disconnect:2", 64, 1000), 464, TraceAction.HandleAppendEntriesRequest, "passed"),
        new Bug("follower-commit-without-min",
            "a follower sets commitIndex to leaderCommit, not min(leaderCommit, index of last new entry)",
            "Figure 2 AppendEntries receiver 5; Students' Guide to Raft; atomix/copycat#265, scylladb/scylladb#9965",
            List.of(Patch.node("Math.min(m.leaderCommit(), lastNewIndex)", "m.leaderCommit()")),
            new Scenario(0L, "nodes=3;duration=3000;every=237;keepdown=1;526:disconnect:2;1197:crash:1;1789:duplicate:0.021;2469:reliable:off;2869:restart:1", 1, 1000), 282, TraceAction.HandleAppendEntriesRequest, "Exception at step 216"),
        new Bug("match-index-from-leader-log",
            "on a success reply the leader sets matchIndex from its own log length, not from the reply",
            "Figure 2 (matchIndex); Students' Guide to Raft (\"matchIndex = len(log)\" is unsafe)",
            List.of(Patch.node("matchIndex[p] = Math.max(matchIndex[p], m.matchIndex());",
                "matchIndex[p] = Math.max(matchIndex[p], log.lastIndex());")),
            new Scenario(10L, "nodes=3;duration=3000;every=119;keepdown=2;1638:reliable:off", 64, 1000), 278, TraceAction.HandleAppendEntriesResponse, "passed"),
        new Bug("stale-term-reply-processed",
            "replies from an older term are processed: a stale vote counts, a stale AppendEntries reply moves "
                + "matchIndex and nextIndex",
            "paper §5.1 (stale terms); Students' Guide to Raft (\"term confusion\")",
            List.of(Patch.node("boolean current = m.term() == currentTerm && role == Role.Leader;",
                "boolean current = role == Role.Leader;"),
                Patch.node("if (m.term() == currentTerm && role == Role.Candidate && m.voteGranted()) {",
                    "if (role == Role.Candidate && m.voteGranted()) {")),
            new Scenario(186L, "nodes=5;duration=4000;every=346;keepdown=2;244:duplicate:0.0;532:crash:2;681:restart:2;969:restart:4;1168:reorder:on;1380:crash:leader;1662:disconnect:3;1835:crash:2;2131:crash:1;2402:heal;2579:disconnect:5;2751:connect:5;2931:heal;3047:duplicate:0.0;3171:duplicate:0.0;3287:restart:1;3443:reliable:off;3600:reliable:on;3799:reliable:off", 64, 1200), 154, TraceAction.HandleRequestVoteResponse, "passed"),
        new Bug("match-index-not-reset",
            "a node that becomes leader again keeps the matchIndex of its earlier leadership",
            "Figure 2 (leader state, \"reinitialized after election\")",
            List.of(Patch.node("    java.util.Arrays.fill(matchIndex, 0);\n", "")),
            new Scenario(0L, "nodes=3;duration=3000;every=237;keepdown=1;526:disconnect:2;1197:crash:1;1789:duplicate:0.021;2469:reliable:off;2869:restart:1", 64, 1000), 264, TraceAction.BecomeLeader, "passed"),
        new Bug("no-step-down-on-higher-term",
            "a leader or candidate that sees a higher term adopts it but keeps its role",
            "paper §5.1, Figure 2 (Rules for Servers: all servers)",
            List.of(Patch.node("    currentTerm = m.term();\n    role = Role.Follower;\n", "    currentTerm = m.term();\n")),
            new Scenario(0L, "nodes=3;duration=3000;every=237;keepdown=1;526:disconnect:2;1197:crash:1;1789:duplicate:0.021;2469:reliable:off;2869:restart:1", 64, 1000), 254, TraceAction.UpdateTerm, "passed"),
        new Bug("prev-log-index-off-by-one",
            "AppendEntries names the entry two before nextIndex as prevLogIndex (clamped at 0)",
            "Figure 2 AppendEntries arguments (prevLogIndex = nextIndex - 1), §5.3",
            List.of(Patch.node("long prevLogIndex = next - 1;", "long prevLogIndex = Math.max(0, next - 2);")),
            new Scenario(0L, "nodes=3;duration=3000;every=237;keepdown=1;526:disconnect:2;1197:crash:1;1789:duplicate:0.021;2469:reliable:off;2869:restart:1", 64, 1000), 23, TraceAction.AppendEntries, "LogMatching at step 65"),
        new Bug("two-votes-in-one-term",
            "a node grants its vote whatever it voted for before in the term",
            "Figure 2 RequestVote receiver 2 (votedFor is null or candidateId), §5.2; camunda/camunda#5368",
            List.of(Patch.node("        && (votedFor == 0 || votedFor == m.from())\n", "")),
            new Scenario(30L, "nodes=5;duration=3000;every=324;keepdown=3,4;183:crash:3;607:disconnect:3;1065:duplicate:0.001;1231:connect:3;1463:restart:3;1757:disconnect:5;1943:partition:2,4,5/3/1;2406:partition:2/1/3,4,5;2765:duplicate:0.0", 64, 1000), 471, TraceAction.HandleRequestVoteRequest, "passed"));
  }

}
