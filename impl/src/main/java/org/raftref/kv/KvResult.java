package org.raftref.kv;

/** What {@link KvStateMachine} answers to one request. */
public sealed interface KvResult {

  /** A {@link KvCommand.Put}, {@link KvCommand.Append} or {@link KvCommand.Delete} took effect. */
  record Ok() implements KvResult {}

  /** A {@link KvCommand.Get} found {@code value}. */
  record Value(String value) implements KvResult {}

  /** A {@link KvCommand.Get} found no value for the key. */
  record NotFound() implements KvResult {}

  /**
   * The request was not applied: its bytes are not a request this build can read, or the client has
   * already moved past its sequence number. {@code reason} says which, in one line.
   */
  record Rejected(String reason) implements KvResult {}

  KvResult OK = new Ok();
  KvResult NOT_FOUND = new NotFound();

  /** The result's bytes, as the state machine returns them to the runtime. */
  default byte[] encode() {
    return KvCodec.encode(this);
  }

  /**
   * Reads a result the state machine returned.
   *
   * @throws MalformedCommandException if {@code bytes} is not an encoded result, saying what is wrong where
   */
  static KvResult decode(byte[] bytes) throws MalformedCommandException {
    return KvCodec.decodeResult(bytes);
  }
}
