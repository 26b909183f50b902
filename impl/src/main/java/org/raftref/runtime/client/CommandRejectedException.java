package org.raftref.runtime.client;

/** The leader refused the command itself (too large, say): sending it again cannot succeed. */
public final class CommandRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  public CommandRejectedException(String message) {
    super(message);
  }
}
