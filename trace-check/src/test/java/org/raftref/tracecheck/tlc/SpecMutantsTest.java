package org.raftref.tracecheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.raftref.trace.TraceAction;

/**
 * Each spec mutant (spec/mutants/*.cfg: one protocol rule of Raft.tla replaced by a known bug from
 * spec/MCRaftMutants.tla) makes TLC report a violation of the property that bug breaks. This is what shows
 * that the invariants and the bounds of the model are strong enough to catch these bugs; a mutant that
 * passes, or fails for another reason (a parse error, an evaluation error, another property), fails here.
 */
class SpecMutantsTest {

  @ParameterizedTest(name = "{0} violates {1}")
  @CsvSource({
      "figure8-commit,              LeaderCompleteness",
      "votedfor-not-persisted,      ElectionSafety",
      "vote-without-log-check,      LeaderCompleteness",
      "truncate-on-stale-append,    CommittedOnQuorum",
      "no-step-down-on-higher-term, ElectionSafety",
      "commit-without-min,          CommitIndexInLog"})
  void mutantViolatesTheExpectedInvariant(String mutant, String expectedInvariant) throws IOException {
    ModelConfiguration config = ModelConfiguration.named(TlcTestSupport.SPEC_DIR, "mutants/" + mutant);
    TlcOptions options = TlcOptions.defaults().withWorkers(2);

    TlcResult result = TlcTestSupport.runner("mutants").check(config, options, TlcTestSupport.printing(mutant));

    assertEquals(TlcExitCode.INVARIANT_VIOLATED, result.exit(), result.summary());
    assertEquals("invariant", result.violation(), result.summary());
    assertEquals(expectedInvariant, result.violatedProperty(), result.summary());
    assertFalse(result.errorTrace().isEmpty(), "no error trace: " + result.summary());
    assertEquals(1, result.errorTrace().get(0).number());
    // Every step of the behaviour is an action of Raft.tla, spelled as the core's trace events spell it.
    for (TraceState state : result.errorTrace().subList(1, result.errorTrace().size())) {
      assertNotNull(state.action(), "unnamed step " + state.label() + " in " + result.output());
      TraceAction.valueOf(state.action());
    }
  }

  /** The liveness mutant: every safety property holds, and TLC finds a behaviour that never commits. */
  @Test
  void followersThatNeverLearnCommitViolateTheLivenessProperty() throws IOException {
    ModelConfiguration config =
        ModelConfiguration.named(TlcTestSupport.SPEC_DIR, "mutants/followers-never-learn-commit");

    TlcResult result = TlcTestSupport.runner("mutants").check(config, TlcOptions.defaults(),
        TlcTestSupport.printing("followers-never-learn-commit"));

    assertEquals(TlcExitCode.PROPERTY_VIOLATED, result.exit(), result.summary());
    assertEquals("temporal properties", result.violation(), result.summary());
    TraceState last = result.errorTrace().get(result.errorTrace().size() - 1);
    assertTrue(last.backTo() > 0, "a liveness counter-example ends in a loop: " + result.summary());
  }
}
