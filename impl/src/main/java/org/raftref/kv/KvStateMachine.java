package org.raftref.kv;

import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.runtime.StateMachine;

/**
 * A map from string keys to string values, replicated by Raft: the example application, and the system
 * under test of the linearizability checks.
 *
 * <p>Each log entry is a {@link KvRequest} in {@link KvCodec}'s format. {@link #apply} decodes it, drops it
 * if it is a retry of a request already applied (answering with the first copy's result, see
 * {@link ClientSessions}), runs it, and returns the encoded {@link KvResult}. Reads go through the log too:
 * a {@link KvCommand.Get} is an entry like any write, so it is ordered with the writes and sees every write
 * committed before it, which makes reads linearizable without leases or read indices (thesis §6.4 describes
 * the faster ways, which this does not implement yet).
 *
 * <p>Invariant: after {@code apply(i, c)} returned, the map and the sessions are what the commands of entries
 * 1..i produce, and {@link #lastApplied()} is {@code i}. Not thread-safe: the runtime's apply thread owns it.
 */
public final class KvStateMachine implements StateMachine {

  private static final byte[] NO_RESULT = new byte[0];

  private final Map<String, String> data = new HashMap<>();
  private final ClientSessions sessions = new ClientSessions();
  private long lastApplied;

  /**
   * Applies entry {@code index}. Never throws for any {@code command}: bytes that are not a request get a
   * {@link KvResult.Rejected} naming the entry and what is wrong, and change nothing. The empty command (a
   * new leader's no-op) gets an empty result.
   *
   * @throws IllegalArgumentException if {@code index} is not {@link #lastApplied()} + 1: the runtime skipped
   *     or repeated an entry, and the state would silently diverge from the other servers'
   */
  @Override
  public byte[] apply(long index, byte[] command) {
    if (index != lastApplied + 1) {
      throw new IllegalArgumentException("entries must be applied in index order: expected index "
          + (lastApplied + 1) + ", got " + index);
    }
    lastApplied = index;
    if (command.length == 0) {
      return NO_RESULT;
    }
    KvRequest request;
    try {
      request = KvCodec.decodeRequest(command);
    } catch (MalformedCommandException e) {
      return new KvResult.Rejected("entry " + index + " is not a request: " + e.getMessage()).encode();
    }
    ClientSessions.Session session = sessions.get(request.clientId());
    if (session != null) {
      if (request.sequence() == session.lastSequence()) {
        return session.lastResult(); // a retry of the request applied last: same answer, no second effect
      }
      if (request.sequence() < session.lastSequence()) {
        // The client moved on from this request, so nobody waits for its answer, and applying it now would
        // reorder it after requests the client sent later.
        return new KvResult.Rejected("client " + Long.toUnsignedString(request.clientId()) + " request "
            + request.sequence() + " is older than request " + session.lastSequence() + ", already applied")
            .encode();
      }
    }
    byte[] result = execute(request.command()).encode();
    sessions.record(request.clientId(), request.sequence(), result);
    return result;
  }

  private KvResult execute(KvCommand command) {
    if (command instanceof KvCommand.Get get) {
      String value = data.get(get.key());
      return value == null ? KvResult.NOT_FOUND : new KvResult.Value(value);
    } else if (command instanceof KvCommand.Put put) {
      data.put(put.key(), put.value());
    } else if (command instanceof KvCommand.Append append) {
      data.merge(append.key(), append.value(), String::concat);
    } else if (command instanceof KvCommand.Delete delete) {
      data.remove(delete.key());
    }
    return KvResult.OK;
  }

  /** The index of the last entry applied; 0 before the first. */
  public long lastApplied() {
    return lastApplied;
  }

  /**
   * The value of {@code key} in this replica, or null. A look at local state for tests and tools: unlike a
   * {@link KvCommand.Get} through the log, it may be stale.
   */
  public @Nullable String localValue(String key) {
    return data.get(key);
  }

  /** Keys with a value in this replica. */
  public int size() {
    return data.size();
  }

  /** Clients with a session (one per client whose request was ever applied). */
  public int clients() {
    return sessions.size();
  }
}
