package org.raftref.kv;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One operation of a client history: what the client asked ({@code input}), what it was told
 * ({@code output}), and when it asked and was told.
 *
 * <p>Times only need to be ordered: operation A happened before B when {@code A.response < B.invoke};
 * otherwise the two overlapped and may take effect in either order. Equal times count as overlapping.
 *
 * <p>A <em>pending</em> operation never returned (the client gave up, or the run ended first): its output
 * is null and its response time {@link #NEVER}. It may have taken effect at any instant after its
 * invocation, or not at all.
 *
 * @param id position in the history, from 0
 * @param client who issued it (for messages only: the checker does not assume clients are sequential)
 * @param label free text shown in reports, such as the request's sequence number and virtual times
 */
record Operation(int id, int client, KvCommand input, @Nullable KvResult output, long invoke, long response,
    String label) {

  /** The response time of a pending operation: after every other event. */
  static final long NEVER = Long.MAX_VALUE;

  Operation {
    if (output == null ? response != NEVER : response < invoke) {
      throw new IllegalArgumentException("operation " + id + ": "
          + (output == null ? "a pending operation has no response time" : "responds at " + response
          + " before its invocation at " + invoke));
    }
  }

  boolean pending() {
    return output == null;
  }

  @Override
  public String toString() {
    String io = show(input) + (output == null ? " -> (pending)" : " -> " + show(output));
    String span = "[" + invoke + ", " + (pending() ? "never" : Long.toString(response)) + "]";
    return "#" + id + " client " + client + " " + io + " " + span + (label.isEmpty() ? "" : " " + label);
  }

  static String show(KvCommand command) {
    if (command instanceof KvCommand.Put put) {
      return "put(" + quote(put.key()) + ", " + quote(put.value()) + ")";
    } else if (command instanceof KvCommand.Append append) {
      return "append(" + quote(append.key()) + ", " + quote(append.value()) + ")";
    } else if (command instanceof KvCommand.Delete delete) {
      return "delete(" + quote(delete.key()) + ")";
    }
    return "get(" + quote(command.key()) + ")";
  }

  static String show(KvResult result) {
    if (result instanceof KvResult.Value value) {
      return quote(value.value());
    } else if (result instanceof KvResult.NotFound) {
      return "not found";
    } else if (result instanceof KvResult.Rejected rejected) {
      return "rejected: " + rejected.reason();
    }
    return "ok";
  }

  private static String quote(String text) {
    String shown = text.length() <= 40 ? text : "..." + text.substring(text.length() - 36);
    return "\"" + shown + "\"";
  }
}
