package org.raftref.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A client history being recorded: {@link #invoke} when a client sends an operation, {@link #respond} when
 * it gets the answer. An operation never responded to stays pending. Also builds hand-written histories
 * with {@link #add} and {@link #addPending}.
 */
final class History {

  /** One recorded operation; mutable until it responds. */
  private static final class Slot {
    final int client;
    final KvCommand input;
    final long invoke;
    final String label;
    @Nullable KvResult output;
    long response = Operation.NEVER;

    Slot(int client, KvCommand input, long invoke, String label) {
      this.client = client;
      this.input = input;
      this.invoke = invoke;
      this.label = label;
    }
  }

  private final List<Slot> slots = new ArrayList<>();

  /** Records that {@code client} sent {@code input} at {@code time}; returns the operation's id. */
  int invoke(int client, KvCommand input, long time, String label) {
    slots.add(new Slot(client, input, time, label));
    return slots.size() - 1;
  }

  /** Records that operation {@code id} returned {@code output} at {@code time}. */
  void respond(int id, KvResult output, long time) {
    Slot slot = slots.get(id);
    if (slot.output != null) {
      throw new IllegalStateException("operation " + id + " already responded");
    }
    if (time < slot.invoke) {
      throw new IllegalArgumentException("operation " + id + " responds at " + time + ", before its invocation at "
          + slot.invoke);
    }
    slot.output = output;
    slot.response = time;
  }

  /** Adds an operation that returned; for hand-written histories. */
  History add(int client, KvCommand input, KvResult output, long invoke, long response) {
    respond(invoke(client, input, invoke, ""), output, response);
    return this;
  }

  /** Adds an operation that never returned; for hand-written histories. */
  History addPending(int client, KvCommand input, long invoke) {
    invoke(client, input, invoke, "");
    return this;
  }

  int size() {
    return slots.size();
  }

  /** The operations recorded so far, those without a response as pending. */
  List<Operation> operations() {
    List<Operation> operations = new ArrayList<>(slots.size());
    for (int id = 0; id < slots.size(); id++) {
      Slot s = slots.get(id);
      operations.add(new Operation(id, s.client, s.input, s.output, s.invoke, s.response, s.label));
    }
    return Collections.unmodifiableList(operations);
  }
}
