package org.raftref.sim.lab;

import java.util.stream.LongStream;

/**
 * The seeds every seeded simulation test runs with (the lab ports, the simulated key-value histories), one
 * JUnit invocation per seed.
 *
 * <p>{@code -Draftref.seeds=N} runs seeds 1..N (the parent pom passes 5 by default);
 * {@code -Draftref.seed=S} runs seed S alone, which is how a failure is replayed.
 */
public final class Seeds {

  /** The display name of one invocation; {@link #fromDisplayName} reads the seed back from it. */
  public static final String DISPLAY_NAME = "seed {0}";

  private static final String PREFIX = "seed ";

  private Seeds() {}

  /** The seeds to run, as the system properties ask. */
  public static LongStream seeds() {
    String single = System.getProperty("raftref.seed");
    if (single != null && !single.isBlank()) {
      return LongStream.of(parse("raftref.seed", single, Long.MIN_VALUE));
    }
    String count = System.getProperty("raftref.seeds");
    long n = count == null || count.isBlank() ? 5 : parse("raftref.seeds", count, 1);
    return LongStream.rangeClosed(1, n);
  }

  static long fromDisplayName(String displayName) {
    if (!displayName.startsWith(PREFIX)) {
      throw new IllegalStateException("invocation '" + displayName + "' is not named \"" + DISPLAY_NAME
          + "\": use @ParameterizedTest(name = Seeds.DISPLAY_NAME)");
    }
    return Long.parseLong(displayName.substring(PREFIX.length()).trim());
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
}
