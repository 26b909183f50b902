package org.raftref.transport;

/** Why an inbound frame (or the connection it came on) was rejected. Each closes the connection. */
public enum FrameError {
  /** The frame does not start with the magic number: not this protocol, or out of step with the stream. */
  BAD_MAGIC,
  /** A protocol version this node does not speak. */
  UNSUPPORTED_VERSION,
  /** A frame type that does not exist. */
  UNKNOWN_TYPE,
  /** Reserved header bits that are not zero. */
  BAD_FLAGS,
  /** A frame longer than the maximum frame size. */
  OVERSIZED,
  /** The CRC32C of header and body does not match. */
  BAD_CHECKSUM,
  /** The body does not decode as its type: too short, too long, a bad field. */
  BAD_BODY,
  /** The body decodes, but to a message that no Raft node sends ({@code Message.malformation()}). */
  INVALID_MESSAGE,
  /** The stream ended inside a frame. */
  TRUNCATED,
  /** The connection did not start with a hello, or sent a second one. */
  BAD_HANDSHAKE,
  /** The hello or a message names a node that is not a peer, not this node, or not the connection's sender. */
  WRONG_NODE
}
