package org.raftref.sim.lab;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Puts the seed and a one-line replay command in front of whatever failed a seeded simulation test: an assertion of
 * the harness, or an {@link org.raftref.sim.InvariantViolation} from the simulator's checker.
 */
public final class ReplayOnFailure implements TestExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    long seed = Seeds.fromDisplayName(context.getDisplayName());
    String test = context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName();
    String replay = "mvn -B -pl impl test -Dtest='" + test + "' -Draftref.seed=" + seed;
    AssertionError wrapped = new AssertionError(
        "seed " + seed + " failed; replay: " + replay + "\n" + failure.getClass().getSimpleName() + ": "
            + failure.getMessage(), failure);
    throw wrapped;
  }
}
