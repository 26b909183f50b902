package org.raftref.transport;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;

/**
 * Measures frame encode and decode rates for typical messages, and one-way message throughput of
 * {@link TcpTransport} over loopback. Not a test: a measurement to run by hand (see docs/transport.md).
 *
 * <p>Usage: {@code CodecThroughput [SECONDS_PER_CASE]}.
 */
public final class CodecThroughput {

  private CodecThroughput() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME_BYTES);
    List<Message> cases = List.of(
        new AppendEntriesResponse(2, 1, 7, true, 123_456, 0, 0),
        appendEntries(1),
        appendEntries(64));
    System.out.printf("%-40s %8s %14s %14s %10s %10s%n", "message", "bytes", "encode msg/s", "decode msg/s",
        "enc MB/s", "dec MB/s");
    for (Message m : cases) {
      measure(codec, m, seconds / 3, false);
      measure(codec, m, seconds, true);
    }
    tcp(Math.max(1, seconds), 1);
    tcp(Math.max(1, seconds), 64);
  }

  private static Message appendEntries(int entries) {
    List<LogEntry> list = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      list.add(new LogEntry(7, new byte[100]));
    }
    return new AppendEntriesRequest(1, 2, 7, 1000, 7, list, 990);
  }

  private static void measure(FrameCodec codec, Message message, double seconds, boolean print) {
    int size = (int) FrameCodec.frameSize(message);
    ByteBuffer out = ByteBuffer.allocate(size * 1024);
    long encoded = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      out.clear();
      for (int i = 0; i < 1024; i++) {
        codec.encode(message, i, out);
      }
      encoded += 1024;
    }
    double encodeSecs = (System.nanoTime() - start) / 1e9;
    long decoded = 0;
    long sink = 0;
    start = System.nanoTime();
    end = start + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      ByteBuffer in = ByteBuffer.wrap(out.array(), 0, out.position());
      while (in.hasRemaining()) {
        DecodeResult r = codec.decode(in);
        sink += r instanceof DecodeResult.MessageFrame f ? f.message().term() : -1;
        decoded++;
      }
    }
    double decodeSecs = (System.nanoTime() - start) / 1e9;
    if (print) {
      String name = message.type() + (message instanceof AppendEntriesRequest a ? " (" + a.entries().size()
          + " x 100 B)" : "");
      System.out.printf("%-40s %8d %14.0f %14.0f %10.0f %10.0f%n", name, size, encoded / encodeSecs,
          decoded / decodeSecs, encoded * size / encodeSecs / 1e6, decoded * size / decodeSecs / 1e6);
    }
    if (sink == 42) {
      System.out.println(); // keeps the decoded messages alive
    }
  }

  /** One-way: node 1 sends AppendEntries of {@code entries} x 100 B to node 2 as fast as its queue takes them. */
  private static void tcp(double seconds, int entries) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    TcpTransport.Options options = new TcpTransport.Options(FrameCodec.DEFAULT_MAX_FRAME_BYTES, 1 << 16,
        Duration.ofMillis(1), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5));
    ServerSocket l1 = new ServerSocket(0, 50, loopback);
    ServerSocket l2 = new ServerSocket(0, 50, loopback);
    AtomicLong received = new AtomicLong();
    CountDownLatch first = new CountDownLatch(1);
    try (TcpTransport one = new TcpTransport(1, l1, Map.of(2, new InetSocketAddress(loopback, l2.getLocalPort())), options);
        TcpTransport two = new TcpTransport(2, l2, Map.of(1, new InetSocketAddress(loopback, l1.getLocalPort())), options)) {
      two.start((m, clock) -> {
        received.incrementAndGet();
        first.countDown();
      });
      one.start((m, clock) -> { });
      Message message = appendEntries(entries);
      one.send(message);
      first.await(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      long base = received.get();
      long end = start + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        if (!one.send(message)) {
          Thread.onSpinWait();
        }
      }
      long got = received.get() - base;
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("TCP loopback, AppendEntries %2d x 100 B: %,12.0f messages/s received (%,.0f entries/s, %.0f MB/s)%n",
          entries, got / secs, got * entries / secs, got * FrameCodec.frameSize(message) / secs / 1e6);
    }
  }
}
