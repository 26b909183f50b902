package org.raftref.transport;

import org.raftref.message.Message;

/** What {@link FrameCodec#decode} found at the start of its input. Never an exception. */
public sealed interface DecodeResult {

  /** A whole frame carrying a message and its sender's clock; the input was advanced past it. */
  record MessageFrame(Message message, long clock) implements DecodeResult {}

  /** A whole handshake frame; the input was advanced past it. */
  record HelloFrame(Hello hello) implements DecodeResult {}

  /** The input holds the start of a frame that may be valid: at least {@code missing} more bytes needed. */
  record NeedMoreBytes(int missing) implements DecodeResult {}

  /** The input does not start with a valid frame. The input's position is unchanged. */
  record Malformed(FrameError error, String reason) implements DecodeResult {}
}
