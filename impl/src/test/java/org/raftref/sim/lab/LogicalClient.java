package org.raftref.sim.lab;

/**
 * A client of the lab's tests that would be a goroutine in Go (a background {@code one()}, a churn client),
 * written as a state machine that the harness runs in virtual time. Clients run one at a time, in the order
 * of their wake-up times (ties in the order they were scheduled), so a seed fixes the interleaving.
 */
interface LogicalClient {

  /** Returned by {@link #act()} when the client has nothing more to do. */
  long FINISHED = -1;

  /**
   * Does what the client does at this instant (it may call the harness's Start, read what was applied) and
   * returns how many virtual milliseconds to sleep before the next call, or {@link #FINISHED}. It must not
   * advance time itself.
   */
  long act();

  /** True once {@link #act()} returned {@link #FINISHED}. */
  boolean finished();
}
