package org.raftref.kv;

/**
 * One operation on the key-value map. Keys and values are strings; a key that was never written, or was
 * deleted, has no value. Every operation reads or writes exactly one key, which is what lets the
 * linearizability checker split a history by key.
 */
public sealed interface KvCommand {

  /** The one key this operation reads or writes. */
  String key();

  /** Reads the value of {@code key}: {@link KvResult.Value} or {@link KvResult.NotFound}. */
  record Get(String key) implements KvCommand {}

  /** Sets {@code key} to {@code value}: {@link KvResult.Ok}. */
  record Put(String key, String value) implements KvCommand {}

  /** Appends {@code value} to the value of {@code key} (to "" if it has none): {@link KvResult.Ok}. */
  record Append(String key, String value) implements KvCommand {}

  /** Removes {@code key} and its value, if any: {@link KvResult.Ok}. */
  record Delete(String key) implements KvCommand {}
}
