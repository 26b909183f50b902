package org.raftref.runtime.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connection's frame writer writes every frame waiting and flushes once, so that under load one socket write
 * carries many frames (issue 8: a server's replies, a pipelining client's requests).
 */
class FrameWriterTest {

  /** The wire of a connection: counts the flushes that reach it (each is one socket write). */
  private static final class Wire extends ByteArrayOutputStream {
    private int flushes;

    @Override
    public synchronized void flush() {
      flushes++;
    }

    synchronized int flushes() {
      return flushes;
    }
  }

  @Test
  void repliesQueuedTogetherLeaveInOrderInOneFlush() throws Exception {
    Wire wire = new Wire();
    FrameWriter writer = new FrameWriter(new Socket(),
        new DataOutputStream(new java.io.BufferedOutputStream(wire, 1 << 16)));
    for (long id = 1; id <= 50; id++) {
      writer.queue(new ClientFrame.Result(id, new byte[] {(byte) id}));
    }
    Thread thread = new Thread(writer, "frame-writer-under-test");
    thread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (wire.flushes() == 0 && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(30));

    assertEquals(1, wire.flushes(), "fifty replies waiting: one flush");
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(wire.toByteArray()));
    List<Long> ids = new ArrayList<>();
    ClientFrame frame;
    while ((frame = read(in)) != null) {
      ids.add(frame.requestId());
    }
    assertEquals(50, ids.size());
    for (int k = 0; k < ids.size(); k++) {
      assertEquals(k + 1, ids.get(k), "in the order queued");
    }
    assertTrue(!thread.isAlive(), "an interrupt ends the writer");
  }

  private static ClientFrame read(DataInputStream in) throws IOException {
    try {
      return ClientWire.read(in, 1 << 10);
    } catch (ClientProtocolException e) {
      throw new AssertionError(e);
    }
  }
}
