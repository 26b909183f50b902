package org.raftref.tracecheck.demo;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Prints "TLC replay: 00:15 elapsed" every few seconds while a step that reports nothing itself runs, so a
 * person watching the demo sees that it is under way. Trace validation is such a step: TLC reports progress
 * once a minute, and replaying a few thousand events rarely takes that long.
 */
final class Ticker implements AutoCloseable {

  private final Thread thread;

  /** Starts ticking at once; {@link #close()} stops it. */
  Ticker(String what, Duration interval, Consumer<String> say) {
    long started = System.nanoTime();
    thread = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(interval.toMillis());
          long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
          say.accept(String.format("  %s: %02d:%02d elapsed", what, seconds / 60, seconds % 60));
        }
      } catch (InterruptedException e) {
        // Closed: the step finished.
      }
    }, "demo-ticker");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
