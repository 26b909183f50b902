package org.raftref.tracecheck.tlc;

/** Receives progress while TLC runs; called from the runner's threads, one call at a time. */
@FunctionalInterface
public interface TlcProgressListener {

  /** Ignores every report. */
  TlcProgressListener NONE = progress -> {};

  void progress(TlcProgress progress);
}
