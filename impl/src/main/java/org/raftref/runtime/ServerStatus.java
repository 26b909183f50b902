package org.raftref.runtime;

import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.Role;

/**
 * What a server looked like at the end of one round of its driver: an immutable snapshot, published through
 * {@link StatusPublisher} and safe to read from any thread.
 *
 * @param id the node's id
 * @param state whether the driver runs, stopped, or failed
 * @param term the node's current term
 * @param role the node's role
 * @param leaderId the leader of {@code term} as far as the node knows, 0 if it knows none
 * @param commitIndex the highest index the node knows committed
 * @param appliedIndex the highest index applied to the state machine
 * @param lastLogIndex the index of the node's last log entry
 * @param syncs how many times the driver has made a Ready durable ({@code Storage.sync()}), since start:
 *     with {@code appliedIndex} it shows how many entries one fsync covered (group commit)
 * @param failure why the server failed (one line), when {@code state} is {@link State#FAILED}; else null
 */
public record ServerStatus(int id, State state, long term, Role role, int leaderId, long commitIndex,
    long appliedIndex, long lastLogIndex, long syncs, @Nullable String failure) {

  /** The driver's life. */
  public enum State {
    /** The driver runs: the node takes input. */
    RUNNING,
    /** Stopped on request ({@link RaftServer#close()} or {@link RaftServer#crash()}). */
    STOPPED,
    /**
     * Stopped by a failure it must not carry on from: storage that failed a write or an fsync, or a state
     * machine that threw. {@link ServerStatus#failure()} says which.
     */
    FAILED
  }

  public ServerStatus {
    if ((state == State.FAILED) != (failure != null)) {
      throw new IllegalArgumentException("a failure reason goes with state FAILED and only with it: " + state
          + ", " + failure);
    }
  }

  public boolean isLeader() {
    return state == State.RUNNING && role == Role.Leader;
  }

  /** The same snapshot in another state. */
  ServerStatus withState(State next, @Nullable String why) {
    return new ServerStatus(id, next, term, role, leaderId, commitIndex, appliedIndex, lastLogIndex, syncs, why);
  }

  /** One line for logs and the command line. */
  public String describe() {
    String text = "node " + id + ": " + (state == State.RUNNING ? role.name() : state.name()) + ", term " + term
        + ", leader " + (leaderId == 0 ? "unknown" : Integer.toString(leaderId)) + ", commit " + commitIndex
        + ", applied " + appliedIndex + ", last log " + lastLogIndex;
    return failure == null ? text : text + ", failed: " + failure;
  }
}
