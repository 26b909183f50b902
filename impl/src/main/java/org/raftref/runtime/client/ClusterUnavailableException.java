package org.raftref.runtime.client;

/**
 * No server of the cluster accepted the command in time: none was reachable, or none was a leader that
 * applied it. The command may or may not have taken effect. The message is one line naming the cluster and
 * the last error.
 */
public final class ClusterUnavailableException extends Exception {

  private static final long serialVersionUID = 1L;

  public ClusterUnavailableException(String message) {
    super(message);
  }
}
