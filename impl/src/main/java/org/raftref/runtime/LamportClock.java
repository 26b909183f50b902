package org.raftref.runtime;

/**
 * A Lamport clock (Lamport 1978, "Time, Clocks, and the Ordering of Events in a Distributed System"): a
 * counter that orders the trace events of separate processes consistently with causality.
 *
 * <ul>
 *   <li>every local event (one trace event) takes {@link #tick()}: the clock moves past every earlier event
 *       of this process;</li>
 *   <li>every message leaves with {@link #now()}, which is at least the value of the {@code Persist} event
 *       that released it;</li>
 *   <li>a received message's value is {@link #witness witnessed} before the node steps it, so the step's
 *       event gets a larger value than the send.</li>
 * </ul>
 * Hence if event a happened before event b (same process earlier, or a released a message b consumed),
 * clock(a) &lt; clock(b). Sorting events by (clock, node) is a total order that respects causality
 * (docs/runtime.md, "Traces").
 *
 * <p>Not thread-safe: confined to the driver thread of one server (docs/concurrency.md).
 */
public final class LamportClock {

  private long time;

  /** A clock whose next event gets {@code start + 1}. */
  public LamportClock(long start) {
    if (start < 0) {
      throw new IllegalArgumentException("a Lamport clock starts at 0 or above, not " + start);
    }
    this.time = start;
  }

  /** A local event: returns its time, larger than every time seen or ticked before. */
  public long tick() {
    return ++time;
  }

  /** A message sent at {@code received} arrives: the next local event will come after it. */
  public void witness(long received) {
    if (received > time) {
      time = received;
    }
  }

  /** The time of the last event (or the largest witnessed value): what an outgoing message carries. */
  public long now() {
    return time;
  }
}
