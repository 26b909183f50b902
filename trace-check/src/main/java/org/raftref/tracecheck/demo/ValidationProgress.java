package org.raftref.tracecheck.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.raftref.tracecheck.validate.TlcProcess;

/**
 * A {@link TlcProcess} that prints a line every few seconds while the TLC it wraps replays a trace, so a
 * person watching the demo sees that validation is under way. TLC itself says nothing until it ends (it
 * reports progress once a minute, and a replay of a few thousand events rarely takes that long).
 */
final class ValidationProgress implements TlcProcess {

  private final TlcProcess tlc;
  private final PrintWriter out;
  private final Duration interval;

  ValidationProgress(TlcProcess tlc, PrintWriter out, Duration interval) {
    this.tlc = tlc;
    this.out = out;
    this.interval = interval;
  }

  @Override
  public Result run(Path workDir, String spec, String cfg, List<String> jvmArgs, String classPath, Path output)
      throws IOException {
    // The validator runs TLC twice for an invalid trace: "replay.cfg", then "diagnose.cfg".
    String what = cfg.endsWith(".cfg") ? cfg.substring(0, cfg.length() - 4) : cfg;
    long started = System.nanoTime();
    Thread ticker = new Thread(() -> tick(what, started), "demo-validation-progress");
    ticker.setDaemon(true);
    ticker.start();
    try {
      return tlc.run(workDir, spec, cfg, jvmArgs, classPath, output);
    } finally {
      ticker.interrupt();
    }
  }

  private void tick(String what, long started) {
    try {
      while (true) {
        Thread.sleep(interval.toMillis());
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        synchronized (out) {
          out.printf("  TLC %s: %02d:%02d elapsed%n", what, seconds / 60, seconds % 60);
          out.flush();
        }
      }
    } catch (InterruptedException e) {
      // TLC finished: the run ended the ticker.
    }
  }
}
