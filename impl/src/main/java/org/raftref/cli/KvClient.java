package org.raftref.cli;

import java.time.Duration;
import org.raftref.kv.KvCommand;
import org.raftref.kv.KvRequest;
import org.raftref.kv.KvResult;
import org.raftref.kv.MalformedCommandException;
import org.raftref.runtime.client.ClusterUnavailableException;
import org.raftref.runtime.client.CommandRejectedException;
import org.raftref.runtime.client.RaftClient;

/**
 * A client of the replicated key-value store: numbers each operation with its client id and a sequence
 * number ({@link KvRequest}), so that the retries {@link RaftClient} makes are applied at most once.
 * Gets go through the log like puts, so every result is linearizable. Not thread-safe: one thread, one
 * operation at a time (as {@link KvRequest} requires of a client).
 */
public final class KvClient implements AutoCloseable {

  private final RaftClient raft;
  private final long clientId;
  private long sequence;

  public KvClient(RaftClient raft, long clientId) {
    this.raft = raft;
    this.clientId = clientId;
  }

  /**
   * Runs {@code command} on the cluster and returns its result. If it throws, the operation may still take
   * effect later, and the next operation gets the next sequence number (the client moves on).
   */
  public KvResult execute(KvCommand command, Duration timeout)
      throws ClusterUnavailableException, CommandRejectedException, InterruptedException {
    byte[] request = new KvRequest(clientId, ++sequence, command).encode();
    byte[] reply = raft.submit(request, timeout);
    try {
      return KvResult.decode(reply);
    } catch (MalformedCommandException e) {
      throw new CommandRejectedException("the cluster answered with bytes that are not a key-value result: "
          + e.getMessage());
    }
  }

  public long clientId() {
    return clientId;
  }

  @Override
  public void close() {
    raft.close();
  }
}
