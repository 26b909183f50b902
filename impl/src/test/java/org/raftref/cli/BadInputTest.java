package org.raftref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.raftref.runtime.FreePorts;
import org.raftref.storage.FileStorage;

/** Bad input gets one line naming what is wrong and a non-zero exit; never a stack trace. */
class BadInputTest {

  private static void assertOneLine(Cli cli, int exit, String... fragments) {
    assertEquals(exit, cli.exit(), cli.toString());
    assertTrue(cli.oneLineError(), "one line: " + cli);
    for (String fragment : fragments) {
      assertTrue(cli.err().contains(fragment), "mentions \"" + fragment + "\": " + cli);
    }
  }

  @Test
  void unknownFlags() {
    assertOneLine(Cli.run("server", "--id", "1", "--peers", "1=127.0.0.1:7001", "--data", "d", "--bogus"), 2,
        "raftref server:", "Unknown option: '--bogus'");
    assertOneLine(Cli.run("put", "--clutser", "1=127.0.0.1:8001", "k", "v"), 2, "raftref put:", "--clutser");
    assertOneLine(Cli.run("get"), 2, "raftref get:", "KEY");
    assertOneLine(Cli.run("frobnicate"), 2, "raftref:", "frobnicate");
    assertOneLine(Cli.run(), 2, "missing command");
    assertOneLine(Cli.run("cluster"), 2, "start or stop");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                        | the list is empty",
      "1=127.0.0.1                               | is not HOST:PORT",
      "127.0.0.1:7001                            | is not ID=HOST:PORT",
      "one=127.0.0.1:7001                        | node id \"one\" is not a positive integer",
      "0=127.0.0.1:7001                          | node id \"0\" is not a positive integer",
      "1=127.0.0.1:7001,1=127.0.0.1:7002         | node id 1 appears twice",
      "1=127.0.0.1:70001                         | port \"70001\" is not in 1..65535",
      "1=127.0.0.1:x                             | port \"x\" is not in 1..65535",
      "1=:7001                                   | the host is empty",
      "1=127.0.0.1:7001,,2=127.0.0.1:7002        | entry \"\" is not ID=HOST:PORT",
  })
  void aBadPeerListIsNamed(String peers, String problem) {
    assertOneLine(Cli.run("server", "--id", "1", "--peers", peers, "--data", "d"), 2,
        "Invalid value for option '--peers'", problem);
  }

  @Test
  void anIdNotAmongThePeers() {
    assertOneLine(Cli.run("server", "--id", "4", "--peers", "1=127.0.0.1:7001,2=127.0.0.1:7002", "--data", "d"), 2,
        "--id 4 is not one of the nodes of --peers [1, 2]");
  }

  @Test
  void anElectionTimeoutNotAboveTheHeartbeat() {
    assertOneLine(Cli.run("server", "--id", "1", "--peers", "1=127.0.0.1:7001", "--data", "d",
        "--election-ticks", "2", "--heartbeat-ticks", "2"), 2, "electionTimeoutTicks (2) must be greater");
  }

  @Test
  void aTraceMemoryThatIsNotASizeOrTooSmall() {
    assertOneLine(Cli.run("server", "--id", "1", "--peers", "1=127.0.0.1:7001", "--data", "d",
        "--trace-memory", "12x"), 2, "Invalid value for option '--trace-memory'",
        "\"12x\" is not a size such as 0, 512k, 256m or 2g");
    assertOneLine(Cli.run("server", "--id", "1", "--peers", "1=127.0.0.1:7001", "--data", "d",
        "--trace-memory", "100"), 2, "\"100\" is not a size");
    assertOneLine(Cli.run("server", "--id", "1", "--peers", "1=127.0.0.1:7001", "--data", "d",
        "--trace-memory", "1k"), 2,
        "--trace-memory: a journal's memory limit is 0 (none) or at least 4096 bytes (a page), was 1024");
  }

  @Test
  void anUnreachableCluster() throws Exception {
    int closedPort = FreePorts.one(); // nothing listens there
    String cluster = "1=127.0.0.1:" + closedPort;
    assertOneLine(Cli.run("put", "--cluster", cluster, "--timeout", "1s", "k", "v"), 1,
        "raftref put: no leader of the cluster " + cluster, "last error: node 1 at 127.0.0.1:" + closedPort + ": ");
    assertOneLine(Cli.run("get", "--cluster", cluster, "--timeout", "1s", "k"), 1, "raftref get: no leader");
    assertOneLine(Cli.run("status", "--cluster", cluster, "--timeout", "1s"), 1, "no node of the cluster");
  }

  @Test
  void aDataDirectoryOfAnotherNode(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    FileStorage.open(data, 1).close();
    assertOneLine(Cli.run("server", "--id", "2", "--peers", "1=127.0.0.1:7001,2=127.0.0.1:7002",
        "--data", data.toString()), 1, "raftref server:", "belongs to node 1, not to node 2");
  }

  @Test
  void aBadDuration() {
    assertOneLine(Cli.run("put", "--timeout", "soon", "k", "v"), 2, "\"soon\" is not a positive duration");
  }

  @Test
  void stoppingAClusterThatIsNotThere(@TempDir Path dir) {
    assertOneLine(Cli.run("cluster", "stop", "--dir", dir.toString()), 1, "holds no cluster");
  }

  @Test
  void mergingTracesThatAreNotThere(@TempDir Path dir) {
    assertOneLine(Cli.run("merge-traces", dir.toString(), "--out", dir.resolve("m").toString()), 1,
        "no trace files");
  }
}
