package org.raftref.sim;

/**
 * Timing and batching of a simulated cluster, in virtual milliseconds.
 *
 * <p>The defaults meet the 6.824 lab's rules: a leader sends at most 10 heartbeat rounds a second
 * ({@code tickMillis × heartbeatTicks = 100 ms}), and elections time out after 300–600 ms, well inside the
 * 5 seconds within which a new leader must be chosen.
 *
 * @param tickMillis virtual time between two ticks of a node
 * @param heartbeatTicks ticks between a leader's AppendEntries rounds
 * @param electionTimeoutTicks minimum election timeout, in ticks (drawn from [T, 2T))
 * @param maxEntriesPerAppend most entries per AppendEntries
 * @param maxBytesPerAppend most command bytes per AppendEntries
 * @param latencyMillis delay of every message on a reliable network
 */
public record SimParams(
    int tickMillis,
    int heartbeatTicks,
    int electionTimeoutTicks,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int latencyMillis) {

  public static final SimParams DEFAULTS = new SimParams(50, 2, 6, 64, 1 << 20, 1);

  public SimParams {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be at least 1, was " + tickMillis);
    }
    if (latencyMillis < 0) {
      throw new IllegalArgumentException("latencyMillis must not be negative, was " + latencyMillis);
    }
  }

  /** Heartbeat period in virtual milliseconds. */
  public long heartbeatMillis() {
    return (long) tickMillis * heartbeatTicks;
  }
}
