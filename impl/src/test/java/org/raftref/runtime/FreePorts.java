package org.raftref.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback ports for servers in tests, chosen below the kernel's ephemeral range. A port taken from the
 * ephemeral range (by binding port 0) can be handed to some other process's outgoing connection before the
 * server binds it (or binds it again after a restart); a port below that range is only ever taken by a
 * server that asks for it.
 */
public final class FreePorts {

  private static final AtomicInteger NEXT = new AtomicInteger();

  private FreePorts() {}

  /**
   * A port p such that p + each of {@code offsets} is free on loopback now. Candidates run through the range
   * in a stride that starts at a place derived from this process's id, so that test JVMs running at once
   * rarely try the same ports.
   */
  public static int base(int... offsets) throws IOException {
    int low = 20_000;
    int high = ephemeralLow() - 1;
    int max = 0;
    for (int offset : offsets) {
      max = Math.max(max, offset);
    }
    int span = high - max - low;
    if (span < 1000) {
      throw new IOException("no room for test ports between " + low + " and the ephemeral range at " + (high + 1));
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    long start = ProcessHandle.current().pid() * 7919L;
    for (int attempt = 0; attempt < 1000; attempt++) {
      int base = low + (int) Math.floorMod(start + (long) NEXT.getAndIncrement() * 104_729L, (long) span);
      if (allFree(loopback, base, offsets)) {
        return base;
      }
    }
    throw new IOException("found no free ports between " + low + " and " + high);
  }

  /** One free port. */
  public static int one() throws IOException {
    return base(0);
  }

  private static boolean allFree(InetAddress host, int base, int... offsets) {
    for (int offset : offsets) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new java.net.InetSocketAddress(host, base + offset));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** The first port of the kernel's ephemeral range (Linux), or 32768, the usual default. */
  private static int ephemeralLow() {
    // Read a line: Files.readString trusts the size procfs reports, and procfs files report none.
    try (java.io.BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      String range = String.valueOf(in.readLine()).strip();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
