package org.raftref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.runtime.LocalCluster;
import org.raftref.runtime.client.RaftClient;

/** put, get and status against three real servers in this JVM. */
class ClientCommandsTest {

  @Test
  void putGetAndStatus(@TempDir Path dir) throws Exception {
    try (LocalCluster cluster = new LocalCluster(dir, null, 3, Duration.ofMillis(10), 20, 3)) {
      cluster.startAll();
      int leader = cluster.awaitLeader(Duration.ofSeconds(60));
      Map<Integer, InetSocketAddress> clients = cluster.clientAddresses();
      String list = RaftClient.describe(clients);
      Cli put = Cli.run("put", "--cluster", list, "greeting", "hello world");
      assertEquals(0, put.exit(), put.toString());
      assertEquals("OK\n", put.out());
      Cli get = Cli.run("get", "--cluster", list, "greeting");
      assertEquals(0, get.exit(), get.toString());
      assertEquals("hello world\n", get.out());
      Cli missing = Cli.run("get", "--cluster", list, "nothing");
      assertEquals(3, missing.exit(), missing.toString());
      assertTrue(missing.oneLineError() && missing.err().contains("\"nothing\" has no value"), missing.toString());
      Cli status = Cli.run("status", "--cluster", list);
      assertEquals(0, status.exit(), status.toString());
      assertEquals(3, status.out().lines().count(), status.out());
      assertTrue(status.out().contains("node " + leader + ": Leader"), status.out());
    }
  }
}
