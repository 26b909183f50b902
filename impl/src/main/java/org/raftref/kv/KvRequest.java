package org.raftref.kv;

/**
 * A command together with the identity of the request that carries it: the payload of one log entry.
 *
 * <p>A client picks a {@code clientId} no other client uses (a random 64-bit number is enough) and numbers
 * its requests 1, 2, 3, ... with {@code sequence}, one outstanding request at a time. When it gets no answer
 * it sends the same request again, with the same sequence number, to whichever server it now believes leads;
 * {@link KvStateMachine} then applies the request at most once however many copies reach the log (thesis
 * §6.3). A client that gives up on a request and moves on uses the next number.
 *
 * @param clientId any 64-bit value; read as unsigned in the encoding
 * @param sequence at least 1
 */
public record KvRequest(long clientId, long sequence, KvCommand command) {

  public KvRequest {
    if (sequence < 1) {
      throw new IllegalArgumentException("a request's sequence number must be at least 1, was " + sequence);
    }
  }

  /** The request's bytes, as they go into the log. */
  public byte[] encode() {
    return KvCodec.encode(this);
  }

  /**
   * Reads a request from a log entry's command.
   *
   * @throws MalformedCommandException if {@code bytes} is not an encoded request, saying what is wrong where
   */
  public static KvRequest decode(byte[] bytes) throws MalformedCommandException {
    return KvCodec.decodeRequest(bytes);
  }
}
