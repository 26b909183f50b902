package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;

/** The default sink costs the core nothing: it allocates nothing per step. */
class TraceSinkNoneTest {

  private static final int CALLS = 100_000;

  @Test
  void noneAllocatesNothingPerCall() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    NodeStateView view = new FakeNodeState(1, List.of(1, 2, 3), List.of(1L, 1L));
    Message received = new RequestVoteRequest(2, 1, 3, 1, 2);
    Message sent = new AppendEntriesResponse(1, 2, 3, true, 2, 0, 0);
    callNone(view, received, sent, 1_000); // loads and links everything the loop touches

    long before = threads.getCurrentThreadAllocatedBytes();
    callNone(view, received, sent, CALLS);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    // Even one 16-byte object per call would be 1.6 MB; the slack covers the measuring call itself.
    assertTrue(allocated < CALLS / 10, "TraceSink.NONE allocated " + allocated + " bytes in " + CALLS + " calls");
  }

  private static void callNone(NodeStateView view, Message received, Message sent, int calls) {
    for (int k = 0; k < calls; k++) {
      TraceSink.NONE.nodeStep(TraceAction.HandleRequestVoteRequest, view, received, sent);
      TraceSink.NONE.environmentStep(TraceAction.DropMessage, 0, sent);
    }
  }
}
