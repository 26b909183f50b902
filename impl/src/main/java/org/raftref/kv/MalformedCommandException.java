package org.raftref.kv;

/**
 * Bytes that are not an encoded {@link KvRequest} or {@link KvResult}. The message names the input (its
 * length), the byte offset and what was wrong there, in one line.
 */
public final class MalformedCommandException extends Exception {

  private static final long serialVersionUID = 1L;

  public MalformedCommandException(String message) {
    super(message);
  }
}
