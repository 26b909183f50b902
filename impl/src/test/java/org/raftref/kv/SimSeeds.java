package org.raftref.kv;

import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The seeds of the simulated-history tests, and the failure message that replays one.
 *
 * <p>{@code -Draftref.seeds=N} runs seeds 1..N (the parent pom passes 5); {@code -Draftref.seed=S} runs seed S
 * alone, which is how a failure is replayed. A failing invocation's message starts with its seed and the
 * command that replays it.
 */
final class SimSeeds implements TestExecutionExceptionHandler {

  /** The display name of one invocation; the seed is read back from it. */
  static final String DISPLAY_NAME = "seed {0}";

  private static final String PREFIX = "seed ";

  static LongStream seeds() {
    String single = System.getProperty("raftref.seed");
    if (single != null && !single.isBlank()) {
      return LongStream.of(parse("raftref.seed", single, Long.MIN_VALUE));
    }
    String count = System.getProperty("raftref.seeds");
    long n = count == null || count.isBlank() ? 5 : parse("raftref.seeds", count, 1);
    return LongStream.rangeClosed(1, n);
  }

  private static long parse(String property, String text, long min) {
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the property's name
    }
    throw new IllegalArgumentException("system property " + property + " must be "
        + (min == 1 ? "a positive integer" : "an integer") + ", was '" + text + "'");
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    String name = context.getDisplayName();
    if (!name.startsWith(PREFIX)) {
      throw failure;
    }
    long seed = Long.parseLong(name.substring(PREFIX.length()).trim());
    String replay = "mvn -B -pl impl test -Dtest='" + context.getRequiredTestClass().getSimpleName() + "#"
        + context.getRequiredTestMethod().getName() + "' -Draftref.seed=" + seed;
    throw new AssertionError("seed " + seed + " failed; replay: " + replay + "\n"
        + failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
  }
}
