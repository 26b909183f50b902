package org.raftref.trace;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The name of every state change that a trace can contain: exactly the actions of {@code spec/Raft.tla}.
 * The constants are spelled as the spec spells its actions (not in upper case) so that one name is used
 * in the spec, in the trace's {@code action} field and, in lower camel case, by the core method that takes
 * the step. {@code docs/steps.md} says what each does.
 */
public enum TraceAction {
  // Node steps, emitted by org.raftref.core.RaftNode.
  Timeout(true),
  UpdateTerm(true),
  HandleRequestVoteRequest(true),
  HandleRequestVoteResponse(true),
  BecomeLeader(true),
  ClientRequest(true),
  AppendEntries(true),
  HandleAppendEntriesRequest(true),
  HandleAppendEntriesResponse(true),
  AdvanceCommitIndex(true),
  Persist(true),
  // Environment steps, emitted by whatever drives the nodes (the simulator, the runtime).
  Restart(false),
  DropMessage(false),
  DuplicateMessage(false);

  private final boolean nodeStep;

  TraceAction(boolean nodeStep) {
    this.nodeStep = nodeStep;
  }

  /** True for the steps a node takes itself; false for crashes and the network's doings. */
  public boolean isNodeStep() {
    return nodeStep;
  }

  /**
   * Checks that this is a node step, as {@link TraceSink#nodeStep} needs. A sink calls it before recording.
   *
   * @throws IllegalArgumentException if it is an environment step (a driver bug)
   */
  public void checkNodeStep() {
    if (!nodeStep) {
      throw new IllegalArgumentException(this + " is not a node step");
    }
  }

  /**
   * Checks the arguments of {@link TraceSink#environmentStep}: {@code Restart} names its node, a message
   * fault has its message, and this is an environment step at all. A sink calls it before recording.
   *
   * @throws IllegalArgumentException naming what is missing (a driver bug)
   */
  public void checkEnvironmentStep(int node, org.raftref.message.@Nullable Message message) {
    switch (this) {
      case Restart:
        if (node <= 0) {
          throw new IllegalArgumentException("Restart needs the node's id, was " + node);
        }
        break;
      case DropMessage:
      case DuplicateMessage:
        if (message == null) {
          throw new IllegalArgumentException(this + " needs the message");
        }
        break;
      default:
        throw new IllegalArgumentException(this + " is not an environment step");
    }
  }
}
