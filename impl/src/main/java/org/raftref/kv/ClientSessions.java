package org.raftref.kv;

import java.util.HashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The duplicate-detection table (thesis §6.3): for each client, the sequence number of the last request
 * applied for it and the result that request got.
 *
 * <p>Why Raft needs it (paper §8): a leader can commit a client's command and crash before it replies. The
 * client hears nothing, sends the command again to the next leader, and the command is then in the log
 * twice. Both copies are committed entries, and every server applies every committed entry, so without this
 * table an append or an increment would take effect twice. With it, the second copy finds its sequence
 * number already applied and answers with the first copy's result instead.
 *
 * <p>It relies on clients having one request outstanding at a time: then only the latest request of a client
 * can still be retried, and one entry per client is enough. Every server applies the same entries in the
 * same order, so every server's table is the same at every index, and a retry gets the same answer wherever
 * it lands.
 *
 * <p>Limit: entries are never removed, so the table grows by one entry per client ever seen. The thesis
 * expires sessions with a rule every server applies at the same log index; that needs clients to register
 * first (so that an expired client can be told so instead of being mistaken for a new one), which this
 * state machine does not do yet.
 */
final class ClientSessions {

  /** The last request applied for one client, and its encoded result. */
  record Session(long lastSequence, byte[] lastResult) {}

  private final Map<Long, Session> sessions = new HashMap<>();

  /** The client's session, or null if no request of this client was applied yet. */
  @Nullable Session get(long clientId) {
    return sessions.get(clientId);
  }

  /** Records that request {@code sequence} of {@code clientId} was applied with {@code result}. */
  void record(long clientId, long sequence, byte[] result) {
    sessions.put(clientId, new Session(sequence, result));
  }

  int size() {
    return sessions.size();
  }
}
