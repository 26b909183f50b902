package org.raftref.runtime;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Why a proposal's future failed: the command was not, or may not have been, applied by this server. The
 * subclasses say which case; a client may retry a proposal (with the same request identity, so that the
 * state machine applies it at most once, see {@code org.raftref.kv.KvRequest}), elsewhere if
 * {@link NotLeaderException} names a leader.
 */
public abstract class ProposalFailedException extends Exception {

  private static final long serialVersionUID = 1L;

  ProposalFailedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
