package org.raftref.cli;

/**
 * A command failed for a reason the user can act on. {@link RaftrefMain} prints the message as one line,
 * after the command's name, and exits with {@link #exitCode()}; never a stack trace.
 */
final class CliException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
