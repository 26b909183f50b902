package org.raftref.runtime;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Publishes the driver's {@link ServerStatus} to every other thread.
 *
 * <p>Thread safety: {@link #current} is volatile. The driver writes a new immutable snapshot after each of
 * its rounds (its only writer); a reader's volatile read of {@link #current} sees a fully built snapshot,
 * because the snapshot's fields are final and the volatile write happens-before every read that sees it.
 * {@link #publish} and {@link #await} also synchronize on this object, only so that waiters are woken; a
 * plain {@link #current()} takes no lock.
 */
public final class StatusPublisher {

  private volatile ServerStatus current;

  public StatusPublisher(ServerStatus initial) {
    this.current = initial;
  }

  /** The latest snapshot. Never blocks. */
  public ServerStatus current() {
    return current;
  }

  /** The driver publishes {@code next}; waiters whose condition it meets return. */
  public void publish(ServerStatus next) {
    synchronized (this) {
      current = next;
      notifyAll();
    }
  }

  /**
   * Waits until the published status meets {@code condition} and returns that status. For tools and tests
   * that must wait for a state (a leader, an applied index) without sleeping.
   *
   * @throws TimeoutException if {@code timeout} passes first (the message shows the last status)
   */
  public ServerStatus await(Predicate<ServerStatus> condition, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (true) {
        ServerStatus status = current;
        if (condition.test(status)) {
          return status;
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new TimeoutException("waited " + timeout.toMillis() + " ms; last status: " + status.describe());
        }
        // wait(ms) with at least 1 ms, so that a sub-millisecond remainder does not wait forever (wait(0))
        wait(Math.max(1, remaining / 1_000_000));
      }
    }
  }
}
