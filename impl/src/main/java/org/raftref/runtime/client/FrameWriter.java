package org.raftref.runtime.client;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The writer of one connection's frames, on a thread of its own: it takes every frame queued, writes them all
 * and flushes once, so that under load one socket write carries many frames, and whoever queues a frame never
 * blocks on the socket. Used for a server's replies ({@link ClientService}) and a client's requests
 * ({@link PipelinedRaftClient}).
 *
 * <p>Frames are written under the output stream's monitor (another thread may write whole frames on the
 * same stream too: a server connection's reader answers status requests itself). A failed write closes the socket, which ends the
 * connection's reader, whose clean-up then interrupts this writer. Ends when interrupted.
 */
final class FrameWriter implements Runnable { // package-private for stress/ (jcstress)
  private final Socket socket;
  private final DataOutputStream out;
  private final LinkedBlockingQueue<ClientFrame> frames = new LinkedBlockingQueue<>();

  FrameWriter(Socket socket, DataOutputStream out) {
    this.socket = socket;
    this.out = out;
  }

  /** Starts a daemon thread named {@code name} that runs this writer; returns it. */
  Thread start(String name) {
    Thread thread = new Thread(this, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Any thread: queues a frame. Never blocks. */
  void queue(ClientFrame frame) {
    frames.add(frame);
  }

  /** True if no frame waits for this writer (a moment's answer: another thread may queue one at once). */
  boolean idle() {
    return frames.isEmpty();
  }

  @Override
  public void run() {
    List<ClientFrame> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(frames.take());
        frames.drainTo(batch);
        writeAll(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      // the connection ended
    }
  }

  /** Writes every frame queued now, on the calling thread (for a connection whose writer thread is not started). */
  void writeQueued() {
    List<ClientFrame> batch = new ArrayList<>();
    frames.drainTo(batch);
    if (!batch.isEmpty()) {
      writeAll(batch);
    }
  }

  /** Writes {@code batch} under the stream's monitor, then one flush. */
  void writeAll(List<ClientFrame> batch) {
    synchronized (out) {
      try {
        for (ClientFrame frame : batch) {
          ClientWire.write(out, frame);
        }
        out.flush();
      } catch (IOException e) {
        try {
          socket.close(); // the peer went away; the connection's reader ends and cleans up
        } catch (IOException ignored) {
          // closing: nothing left to do with it
        }
      }
    }
  }
}
