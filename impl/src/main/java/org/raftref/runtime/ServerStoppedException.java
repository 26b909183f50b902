package org.raftref.runtime;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The server stopped (it was closed, crashed on purpose, or failed) before the proposal was applied. The
 * command may still commit through other servers if this one had replicated it.
 */
public final class ServerStoppedException extends ProposalFailedException {

  private static final long serialVersionUID = 1L;

  public ServerStoppedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
