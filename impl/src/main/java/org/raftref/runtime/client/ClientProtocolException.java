package org.raftref.runtime.client;

/** Bytes on a client connection that are not a frame of the client protocol; the reason is one line. */
public final class ClientProtocolException extends Exception {

  private static final long serialVersionUID = 1L;

  public ClientProtocolException(String reason) {
    super(reason);
  }
}
