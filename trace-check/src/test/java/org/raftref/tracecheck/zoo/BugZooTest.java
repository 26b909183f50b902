package org.raftref.tracecheck.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.raftref.tracecheck.trace.TraceEvent;
import org.raftref.tracecheck.validate.Outcome;

/**
 * The bug zoo (docs/bug-zoo.md): each known Raft bug, patched into the core's source, runs its scenario in the
 * simulator, and trace validation must reject the run at the expected event; the same scenario with the core
 * as it is must pass the simulator and validate (the positive control, once per scenario).
 *
 * <p>Run: {@code mvn -B -q -pl trace-check test -Dtest='org.raftref.tracecheck.zoo.**'
 * -Dsurefire.failIfNoSpecifiedTests=false}. The traces are kept under {@code trace-check/target/zoo}, TLC's
 * outputs under {@code trace-check/target/tlc/zoo}; a failure message names the scenario and the trace.
 */
class BugZooTest {

  private static final Zoo ZOO = new Zoo(Path.of("target/zoo"));
  /** Control outcomes by scenario key: several bugs may share a scenario. */
  private static final Map<String, String> CONTROLS = new HashMap<>();

  static Stream<Bug> bugs() {
    return BugCatalog.bugs().stream();
  }

  @Test
  void theZooHasAtLeastTwelveDistinctBugs() {
    Set<String> names = new HashSet<>();
    Set<String> patches = new HashSet<>();
    for (Bug bug : BugCatalog.bugs()) {
      assertTrue(names.add(bug.name()), "two bugs named " + bug.name());
      assertTrue(patches.add(bug.patches().toString()), "two bugs with the same patch: " + bug.name());
      assertTrue(!bug.source().isBlank(), bug.name() + " names no source");
    }
    assertTrue(names.size() >= 12, "only " + names.size() + " bugs");
  }

  @Test
  void aPatchThatNoLongerAppliesIsNamed() {
    Patch stale = Patch.node("this text is not in RaftNode.java", "x");
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> stale.applyTo("class RaftNode {}", "some-bug"));
    assertTrue(e.getMessage().startsWith("patch no longer applies: some-bug"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bugs")
  void traceValidationRejectsTheBugAtItsFirstBadEvent(Bug bug) throws Exception {
    Zoo.Result control = ZOO.run(Bug.control(bug.scenario()));
    Zoo.Result mutant = ZOO.run(bug);
    String replay = bug.name() + " with " + bug.scenario().replay() + " (batch " + bug.scenario().maxEntriesPerAppend()
        + "); trace " + mutant.trace().toAbsolutePath();

    int diverges = Zoo.firstDifference(control.trace(), mutant.trace());
    assertTrue(diverges > 0, "the scenario does not exercise " + replay + ": the trace equals the control's");

    Outcome outcome = ZOO.validate(mutant.trace());
    Outcome.Invalid invalid = assertInstanceOf(Outcome.Invalid.class, outcome, replay);
    TraceEvent event = invalid.event();
    assertNotNull(event, () -> "TLC could not replay " + replay + ":\n" + outcome.report());
    // Events before the divergence are the control's, which validate: the first bad event cannot be earlier.
    assertTrue(invalid.index() >= diverges, "first bad event " + invalid.index() + " precedes the divergence from "
        + "the control at " + diverges + ": " + invalid.report());
    assertEquals(bug.firstBadAction() + " at " + bug.firstBadIndex(), event.action() + " at " + invalid.index(),
        invalid.report());
    assertEquals(bug.simulatorVerdict(), mutant.run().verdict(), "the simulator's verdict on " + replay + ": "
        + mutant.run().failureDetail());

    String controlVerdict = CONTROLS.computeIfAbsent(bug.scenario().key(), k -> validateControl(control));
    assertEquals("valid", controlVerdict, "positive control of " + bug.name());
  }

  private static String validateControl(Zoo.Result control) {
    if (control.run().failure() != null) {
      return "the simulator failed the unmutated core: " + control.run().verdict() + ": "
          + control.run().failureDetail();
    }
    try {
      Outcome outcome = ZOO.validate(control.trace());
      return outcome instanceof Outcome.Valid ? "valid" : outcome.report();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
