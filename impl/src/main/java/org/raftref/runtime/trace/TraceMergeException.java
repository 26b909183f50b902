package org.raftref.runtime.trace;

/** Trace files that cannot be merged; the message is one line naming the file and line. */
public final class TraceMergeException extends Exception {

  private static final long serialVersionUID = 1L;

  public TraceMergeException(String message) {
    super(message);
  }
}
