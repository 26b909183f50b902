package org.raftref.sim;

import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;

/**
 * The size a message would have on the wire, for the simulator's byte counters: a fixed header per message
 * and per entry, plus every command's bytes. Close enough to a real encoding to catch a node that sends
 * every command more than once, which is what the 6.824 RPCBytes test is about.
 */
final class MessageSize {

  static final int HEADER_BYTES = 48;
  static final int ENTRY_HEADER_BYTES = 12;

  private MessageSize() {}

  static long of(Message m) {
    long size = HEADER_BYTES;
    if (m instanceof AppendEntriesRequest request) {
      for (LogEntry entry : request.entries()) {
        size += ENTRY_HEADER_BYTES + entry.command().length;
      }
    }
    return size;
  }
}
