package org.raftref.runtime;

/** The driver's mailbox is full: the server refused the proposal without looking at it. Try again later. */
public final class ServerBusyException extends ProposalFailedException {

  private static final long serialVersionUID = 1L;

  public ServerBusyException(int nodeId, int capacity) {
    super("node " + nodeId + " is overloaded: its mailbox holds " + capacity + " inputs already", null);
  }
}
