package org.raftref.tracecheck.trace;

/**
 * A trace that cannot be read as one: unreadable, not the format of {@code docs/trace-format.md}, or
 * impossible to put in order. The message is one line that names the file (and the line, where there is
 * one) and what is wrong, fit to show a user as it is; {@code trace-check} exits with 2 on it.
 */
public final class TraceInputException extends Exception {

  private static final long serialVersionUID = 1L;

  public TraceInputException(String message) {
    super(message);
  }

  public TraceInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
