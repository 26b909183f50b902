package org.raftref.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The driver's inbox: any thread offers, one thread (the driver) drains. A bounded queue with a close
 * that hands back whatever was still queued, so that no item offered is ever silently forgotten: an offer
 * either returns {@link Offer#ACCEPTED} (and the item is later drained or returned by {@link #close()}), or
 * the caller learns it was refused.
 *
 * <p>Thread safety: every field is guarded by {@link #lock}. An offer's write of the item happens-before
 * the drain or close that takes it out (both hold the lock), which is how a message or a proposal built on
 * a transport or client thread is safely published to the driver thread.
 */
public final class Mailbox<T extends Object> {

  /** What {@link #offer} did with an item. */
  public enum Offer {
    /** Queued: the driver will drain it, or {@link #close()} will return it. */
    ACCEPTED,
    /** Refused: the mailbox holds its capacity already. */
    FULL,
    /** Refused: the mailbox is closed. */
    CLOSED
  }

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  // Guarded by lock.
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private boolean closed;

  public Mailbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a mailbox holds at least 1 item, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** Queues {@code item} unless the mailbox is full or closed; never blocks for long (one lock). */
  public Offer offer(T item) {
    lock.lock();
    try {
      if (closed) {
        return Offer.CLOSED;
      }
      if (items.size() >= capacity) {
        return Offer.FULL;
      }
      items.addLast(item);
      if (items.size() == 1) {
        notEmpty.signal(); // only the driver waits, and only on an empty mailbox
      }
      return Offer.ACCEPTED;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the mailbox holds an item, is closed, or {@code System.nanoTime()} reaches
   * {@code deadlineNanos}; then moves up to {@code max} items, oldest first, into {@code out}.
   *
   * @return false if the mailbox is closed (nothing is moved then: {@link #close()} returned the rest)
   */
  public boolean drainTo(Collection<? super T> out, int max, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      long remaining = deadlineNanos - System.nanoTime();
      while (items.isEmpty() && !closed && remaining > 0) {
        remaining = notEmpty.awaitNanos(remaining);
      }
      if (closed) {
        return false;
      }
      for (int n = 0; n < max && !items.isEmpty(); n++) {
        out.add(items.removeFirst());
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the mailbox: every later offer is refused with {@link Offer#CLOSED}, a waiting drain returns
   * false. Returns the items still queued, so the caller can answer them. Closing twice returns nothing
   * the second time.
   */
  public List<T> close() {
    lock.lock();
    try {
      closed = true;
      List<T> left = new ArrayList<>(items);
      items.clear();
      notEmpty.signalAll();
      return left;
    } finally {
      lock.unlock();
    }
  }

  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Items queued now (a snapshot, for monitoring and tests). */
  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }
}
