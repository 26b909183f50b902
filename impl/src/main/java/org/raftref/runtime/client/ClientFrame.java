package org.raftref.runtime.client;

import org.raftref.runtime.ServerStatus;

/**
 * The frames of the client protocol (docs/runtime.md, "The client protocol"). Requests go from a client to
 * a server, replies back; each reply carries the {@code requestId} of the request it answers.
 */
public sealed interface ClientFrame {

  /** The client's number for the request; replies repeat it. */
  long requestId();

  /** Request: propose {@code command} to the replicated log (through the leader). */
  record Propose(long requestId, byte[] command) implements ClientFrame {}

  /** Request: the server's {@link ServerStatus}. */
  record StatusRequest(long requestId) implements ClientFrame {}

  /** Reply: the command was applied; {@code result} is what the state machine returned. */
  record Result(long requestId, byte[] result) implements ClientFrame {}

  /** Reply: the server is not the leader; {@code leaderHint} is the one it knows, 0 if none. */
  record NotLeader(long requestId, int leaderHint, long term) implements ClientFrame {}

  /**
   * Reply: the proposal failed. {@code retryable}: it may succeed if sent again (the leader changed, the
   * server is busy or stopping); otherwise the command itself was refused (too large, say).
   */
  record Failed(long requestId, boolean retryable, String reason) implements ClientFrame {}

  /** Reply to {@link StatusRequest}. */
  record StatusReply(long requestId, ServerStatus status) implements ClientFrame {}
}
