package org.raftref.runtime.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Takes the page faults of a {@link JournalWriter} off the driver thread. The first store into each page of
 * a new mapping faults, and the kernel then allocates the page: measured in a traced cluster, that was about
 * a third of what recording cost the leader's driver, and most of what it cost a follower's (a follower
 * records every command it receives). This thread touches the pages ahead of the writer, so that the
 * writer's stores find them mapped; it runs while the driver waits for its fsync or the network.
 *
 * <p>A touch is a compare-and-set of an int from 0 to 0: it never changes what the file holds, and being
 * atomic it cannot undo a store of the writer's that races with it (the writer's records never go where the
 * toucher is, except when the toucher lags; then its touch is harmless). JournalPrefaultStress checks this.
 *
 * <p>Shared with the driver: the window being written ({@link #window}, volatile) and the position in it
 * ({@link #position}, a release store by the driver, an acquire load here); the rest is this thread's own.
 */
final class PageToucher implements Runnable {

  /** The page size this assumes; a larger page is touched more than once, which is harmless. */
  static final int PAGE = 4096;
  /** How far ahead of the writer pages are touched. */
  static final int AHEAD = 8 << 20;
  /** How long the thread sleeps when it is ahead; the writer fills far less than {@link #AHEAD} meanwhile. */
  private static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, JournalFormat.ORDER);
  private static final VarHandle POSITION;

  static {
    try {
      POSITION = MethodHandles.lookup().findVarHandle(PageToucher.class, "position", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile ByteBuffer window;
  /** Written with release semantics by the driver: where in {@link #window} its next record goes. */
  @SuppressWarnings("unused") // through POSITION
  private int position;
  private volatile boolean stopped;
  private @Nullable Thread thread;

  // This thread's own.
  private @Nullable ByteBuffer touchedWindow;
  private int touchedUpTo;

  PageToucher(ByteBuffer window, int position) {
    this.window = window;
    POSITION.setRelease(this, position);
  }

  /** Starts the thread, a daemon named {@code name}. */
  void start(String name) {
    Thread started = new Thread(this, name);
    started.setDaemon(true);
    thread = started;
    started.start();
  }

  /** The driver wrote up to {@code newPosition} in the current window: a plain store, no fence, no call. */
  void wrote(int newPosition) {
    POSITION.setRelease(this, newPosition);
  }

  /** The driver maps a new window and writes from {@code newPosition} in it. */
  void moved(ByteBuffer newWindow, int newPosition) {
    POSITION.setRelease(this, newPosition);
    window = newWindow;
  }

  /** The thread, once started (for its CPU time); null before. */
  @Nullable Thread thread() {
    return thread;
  }

  /** Ends the thread and waits for it (a touch takes microseconds). */
  void stop() throws InterruptedException {
    stopped = true;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
      running.join();
    }
  }

  @Override
  public void run() {
    while (!stopped) {
      touchAhead();
      LockSupport.parkNanos(NAP_NANOS);
    }
  }

  /** Touches every page from the writer's position to {@link #AHEAD} bytes past it, in the current window. */
  void touchAhead() {
    ByteBuffer current = window;
    int from = (int) POSITION.getAcquire(this);
    if (current != touchedWindow) {
      touchedWindow = current;
      touchedUpTo = 0;
    }
    long limit = Math.min((long) from + AHEAD, current.capacity() - 4L);
    for (long at = Math.max(touchedUpTo, from - from % PAGE); at <= limit && !stopped; at += PAGE) {
      touch(current, (int) at);
      touchedUpTo = (int) at + PAGE;
    }
  }

  /** Makes the page holding {@code offset} (a multiple of 4) present and writable, without changing it. */
  static void touch(ByteBuffer buffer, int offset) {
    INT.compareAndSet(buffer, offset, 0, 0);
  }
}
