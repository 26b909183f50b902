package org.raftref.kv;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The sequential specification of one key: what a single, one-at-a-time key-value map does. The state is
 * the key's value, or null when it has none. Written from the meaning of the commands, independently of
 * {@link KvStateMachine}, so that a bug there is not mirrored here.
 */
final class KeyModel {

  /** The outcome of one step: whether the output fits, and the state after it. */
  record Step(boolean legal, @Nullable String after) {
    static final Step ILLEGAL = new Step(false, null);
  }

  private KeyModel() {}

  /** The state of a key nobody wrote. */
  static @Nullable String initial() {
    return null;
  }

  /**
   * Runs {@code op} alone on a key whose value is {@code before}: legal when the op's recorded output is what
   * the map would answer (a pending op's unknown output fits anything).
   */
  static Step step(@Nullable String before, Operation op) {
    KvCommand input = op.input();
    KvResult output = op.output();
    if (input instanceof KvCommand.Get) {
      boolean legal = output == null
          || (before == null ? output instanceof KvResult.NotFound
              : output instanceof KvResult.Value v && v.value().equals(before));
      return legal ? new Step(true, before) : Step.ILLEGAL;
    }
    if (output != null && !(output instanceof KvResult.Ok)) {
      return Step.ILLEGAL; // writes answer ok
    }
    if (input instanceof KvCommand.Put put) {
      return new Step(true, put.value());
    } else if (input instanceof KvCommand.Append append) {
      return new Step(true, before == null ? append.value() : before + append.value());
    } else {
      return new Step(true, null); // Delete
    }
  }
}
