package org.raftref.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.core.RaftConfig;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.storage.StorageFailedException;
import org.raftref.trace.ValueDigest;
import org.raftref.transport.InMemoryNetwork;

/**
 * The server's contract with its clients and its storage, on an in-memory network: results of applied
 * entries, the typed not-leader refusal, entries overwritten by a later leader, group commit, a failed
 * fsync that stops the node, and a clean shutdown. Outcomes are forced by the scenario (a partition, a held
 * or failed sync), not by timing; timeouts only guard against hangs. Node 1's election timeout is ten times
 * shorter than the others', so it leads, and keeps leading unless it stalls for 200 ms.
 */
class RaftServerTest {

  private static final Duration TICK = Duration.ofMillis(2);
  private static final long WAIT_SECONDS = 30;

  private final InMemoryNetwork network = new InMemoryNetwork(true);
  private final Map<Integer, RaftServer> servers = new TreeMap<>();
  private final Map<Integer, ScriptedStorage> storages = new TreeMap<>();
  private final Map<Integer, RecordingTransport> transports = new TreeMap<>();

  @AfterEach
  void closeAll() {
    servers.values().forEach(RaftServer::close);
  }

  /** The state machine of these tests: answers "INDEX:COMMAND". */
  private static byte[] echo(long index, byte[] command) {
    return (index + ":" + new String(command, UTF_8)).getBytes(UTF_8);
  }

  private void startCluster(int size) throws Exception {
    startCluster(size, id -> TraceOutput.none());
  }

  private void startCluster(int size, java.util.function.IntFunction<TraceOutput> traces) throws Exception {
    List<Integer> members = new ArrayList<>();
    for (int id = 1; id <= size; id++) {
      members.add(id);
    }
    for (int id : members) {
      RaftConfig config = new RaftConfig(id, members, id == 1 ? 10 : 100, 2, 64, 1 << 20);
      ScriptedStorage storage = new ScriptedStorage();
      RecordingTransport transport = new RecordingTransport(network.transport(id));
      storages.put(id, storage);
      transports.put(id, transport);
      servers.put(id, RaftServer.start(new ServerSettings(config, TICK, 1 << 20, 1024, 42 + id), storage, transport,
          RaftServerTest::echo, traces.apply(id)));
    }
  }

  private int awaitLeader(Iterable<Integer> among) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (System.nanoTime() - deadline < 0) {
      for (int id : among) {
        try {
          return servers.get(id).awaitStatus(ServerStatus::isLeader, Duration.ofMillis(10)).id();
        } catch (TimeoutException e) {
          // next
        }
      }
    }
    throw new TimeoutException("no leader among " + among);
  }

  private static byte[] await(CompletableFuture<byte[]> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<byte[]> future) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    return e.getCause();
  }

  @Test
  void aProposalCompletesWithTheStateMachinesResultOnceApplied() throws Exception {
    startCluster(3);
    int leader = awaitLeader(servers.keySet());
    byte[] first = await(servers.get(leader).propose("x".getBytes(UTF_8)));
    byte[] second = await(servers.get(leader).propose("y".getBytes(UTF_8)));
    // Entry 1 is the leader's no-op (thesis §6.4); the commands follow in order.
    assertEquals("2:x", new String(first, UTF_8));
    assertEquals("3:y", new String(second, UTF_8));
    ServerStatus status = servers.get(leader).status(); // published before the futures completed
    assertTrue(status.appliedIndex() >= 3 && status.commitIndex() >= 3, status.describe());
  }

  /**
   * A traced server's client and transport threads digest the commands, and its journal records those
   * digests: the driver computes none in a run without faults. And they are the commands' digests.
   */
  @Test
  void aTracedServerRecordsTheDigestsItsClientAndTransportThreadsTook(@TempDir Path dir) throws Exception {
    Map<Integer, TraceOutput> traces = new TreeMap<>();
    startCluster(3, id -> {
      try {
        TraceOutput trace = TraceOutput.open(dir, id, List.of(1, 2, 3), 64);
        traces.put(id, trace);
        return trace;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    int leader = awaitLeader(servers.keySet());
    List<String> commands = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      commands.add("command " + k);
      await(servers.get(leader).propose(commands.get(k).getBytes(UTF_8)));
    }
    long last = servers.get(leader).status().lastLogIndex();
    for (RaftServer server : servers.values()) {
      server.awaitStatus(s -> s.lastLogIndex() >= last, Duration.ofSeconds(WAIT_SECONDS));
    }
    closeAll(); // the drivers end, and each journal is converted
    for (Map.Entry<Integer, TraceOutput> trace : traces.entrySet()) {
      org.raftref.runtime.trace.KnownDigests known = trace.getValue().knownDigests();
      assertEquals(0, known.computed(), "node " + trace.getKey() + " digested commands on its driver");
      assertTrue(known.taken() >= commands.size(), "node " + trace.getKey() + " took " + known.taken());
      String recorded = java.nio.file.Files.readString(dir.resolve("node-" + trace.getKey() + ".1.ndjson"));
      for (String command : commands) {
        String value = String.format("\"%016x\"", ValueDigest.digest(command.getBytes(UTF_8)));
        assertTrue(recorded.contains(value), "node " + trace.getKey() + " recorded no " + value + " for " + command);
      }
    }
  }

  @Test
  void aFollowerRefusesWithTheLeadersIdAsHint() throws Exception {
    startCluster(3);
    int leader = awaitLeader(servers.keySet());
    int follower = leader == 1 ? 2 : 1;
    servers.get(follower).awaitStatus(s -> s.leaderId() == leader, Duration.ofSeconds(WAIT_SECONDS));
    Throwable refusal = failureOf(servers.get(follower).propose(new byte[] {1}));
    NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class, refusal);
    assertEquals(leader, notLeader.leaderHint());
  }

  /** §5.3: a deposed leader's uncommitted entry is replaced by the next leader's; its client learns so. */
  @Test
  void anEntryOverwrittenByALaterLeaderFailsItsProposal() throws Exception {
    startCluster(3);
    int oldLeader = awaitLeader(servers.keySet());
    await(servers.get(oldLeader).propose("before".getBytes(UTF_8)));
    network.setFilter(m -> m.from() != oldLeader && m.to() != oldLeader);
    CompletableFuture<byte[]> stranded = servers.get(oldLeader).propose("stranded".getBytes(UTF_8));
    List<Integer> others = new ArrayList<>(servers.keySet());
    others.remove(Integer.valueOf(oldLeader));
    int newLeader = awaitLeader(others);
    assertEquals("ok", new String(await(servers.get(newLeader).propose("ok".getBytes(UTF_8))), UTF_8)
        .replaceAll("^[0-9]+:", ""));
    assertFalse(stranded.isDone(), "a leader cut off from a quorum cannot commit");
    network.setFilter(m -> true);
    EntryOverwrittenException overwritten = assertInstanceOf(EntryOverwrittenException.class, failureOf(stranded));
    assertTrue(overwritten.term() < servers.get(newLeader).status().term());
  }

  /**
   * The leader's write runs in parallel with replication (thesis §10.2.1): while the leader's own fsync of a
   * new entry is held, both followers receive the entry and make it durable; the proposal completes once
   * the leader's fsync returns.
   */
  @Test
  void followersMakeAnEntryDurableWhileTheLeadersOwnSyncIsHeld() throws Exception {
    startCluster(3);
    int leader = awaitLeader(servers.keySet());
    byte[] warm = await(servers.get(leader).propose("warm".getBytes(UTF_8))); // "INDEX:warm"
    long index = Long.parseLong(new String(warm, UTF_8).split(":")[0]) + 1;
    ScriptedStorage leaderStorage = storages.get(leader);
    java.util.concurrent.CountDownLatch entered = leaderStorage.holdNextSync();
    CompletableFuture<byte[]> held = servers.get(leader).propose("parallel".getBytes(UTF_8));
    assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the leader reached its held sync");
    for (int follower : servers.keySet()) {
      if (follower != leader) {
        // A follower publishes its status after the round whose sync made the entry durable.
        servers.get(follower).awaitStatus(s -> s.lastLogIndex() >= index, Duration.ofSeconds(WAIT_SECONDS));
        assertTrue(storages.get(follower).syncedBatches().stream().anyMatch(b -> b.contains(index)),
            "follower " + follower + " made entry " + index + " durable while the leader's sync was held");
      }
    }
    assertFalse(held.isDone(), "the leader's driver is still in its own sync");
    leaderStorage.release();
    assertEquals(index + ":parallel", new String(await(held), UTF_8));
  }

  /** Group commit: every proposal that arrives while an fsync runs is made durable by the next one fsync. */
  @Test
  void proposalsArrivingDuringOneSyncShareTheNextSync() throws Exception {
    startCluster(1);
    RaftServer server = servers.get(1);
    awaitLeader(List.of(1));
    CompletableFuture<byte[]> first = server.propose("first".getBytes(UTF_8));
    await(first);
    ScriptedStorage storage = storages.get(1);
    java.util.concurrent.CountDownLatch entered = storage.holdNextSync();
    CompletableFuture<byte[]> held = server.propose("held".getBytes(UTF_8));
    assertTrue(entered.await(WAIT_SECONDS, TimeUnit.SECONDS), "the driver reached the held sync");
    List<CompletableFuture<byte[]>> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(server.propose(("b" + i).getBytes(UTF_8)));
    }
    storage.release();
    long heldIndex = Long.parseLong(new String(await(held), UTF_8).split(":")[0]);
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      byte[] result = await(batch.get(i));
      assertEquals(heldIndex + 1 + i + ":b" + i, new String(result, UTF_8));
      expected.add(heldIndex + 1 + i);
    }
    assertTrue(storage.syncedBatches().contains(expected),
        "one sync made all 50 entries durable; syncs were " + storage.syncedBatches());
  }

  /**
   * A failed fsync stops the node: it fails its clients, never counts the entry whose write failed toward a
   * commit, never goes on. (The entry itself may have left in an AppendEntries: a leader replicates in
   * parallel with its own write, thesis §10.2.1; but no leaderCommit it sent covers it.)
   */
  @Test
  void aFailedSyncStopsTheNode() throws Exception {
    startCluster(3);
    byte[] lost = "lost".getBytes(UTF_8);
    storages.values().forEach(s -> s.failSyncOf(lost));
    int leader;
    Throwable failure;
    do { // until a leader takes the command (a leader change in between refuses it with NotLeader)
      leader = awaitLeader(servers.keySet());
      failure = failureOf(servers.get(leader).propose(lost));
    } while (failure instanceof NotLeaderException);
    RaftServer server = servers.get(leader);
    ServerStoppedException stopped = assertInstanceOf(ServerStoppedException.class, failure);
    assertInstanceOf(StorageFailedException.class, stopped.getCause());
    ServerStatus end = server.terminated().get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(ServerStatus.State.FAILED, end.state());
    assertNotNull(end.failure());
    assertTrue(end.failure().contains("injected fsync failure"), end.failure());
    assertEquals(end, server.status());
    long lostIndex = Long.MAX_VALUE;
    List<AppendEntriesRequest> requests = new ArrayList<>();
    for (Message m : transports.get(leader).sent()) {
      if (m instanceof AppendEntriesRequest request) {
        requests.add(request);
        for (int k = 0; k < request.entries().size(); k++) {
          if (Arrays.equals(lost, request.entries().get(k).command())) {
            lostIndex = Math.min(lostIndex, request.prevLogIndex() + 1 + k);
          }
        }
      }
    }
    for (AppendEntriesRequest request : requests) {
      assertTrue(request.leaderCommit() < lostIndex, "the leader announced a commit of the entry whose fsync"
          + " failed (index " + lostIndex + "): " + request);
    }
    assertInstanceOf(ServerStoppedException.class, failureOf(server.propose(new byte[] {7})));
    assertTrue(storages.get(leader).closed());
  }

  @Test
  void closeFailsWaitingProposalsAndRefusesNewOnes() throws Exception {
    startCluster(3);
    int leader = awaitLeader(servers.keySet());
    RaftServer server = servers.get(leader);
    network.setFilter(m -> m.from() != leader && m.to() != leader);
    CompletableFuture<byte[]> waiting = server.propose("never commits".getBytes(UTF_8));
    server.close();
    assertInstanceOf(ServerStoppedException.class, failureOf(waiting));
    assertInstanceOf(ServerStoppedException.class, failureOf(server.propose(new byte[] {1})));
    assertEquals(ServerStatus.State.STOPPED, server.terminated().get(WAIT_SECONDS, TimeUnit.SECONDS).state());
    assertTrue(storages.get(leader).closed());
    server.close(); // idempotent
  }

  @Test
  void aCommandLargerThanTheLimitIsRefusedAtOnce() throws Exception {
    startCluster(1);
    Throwable refusal = failureOf(servers.get(1).propose(new byte[(1 << 20) + 1]));
    assertInstanceOf(IllegalArgumentException.class, refusal);
  }

  @Test
  void theTransportMustBeTheNodes() {
    RaftConfig config = RaftConfig.of(1, List.of(1, 2));
    ScriptedStorage storage = new ScriptedStorage();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RaftServer.start(
        ServerSettings.defaults(config, 1), storage, network.transport(2), RaftServerTest::echo, TraceOutput.none()));
    assertTrue(e.getMessage().contains("node 2"), e.getMessage());
    assertTrue(storage.closed(), "a server that cannot start releases its storage");
  }

  @Test
  void statusSnapshotsAreConsistentWithTheNode() throws Exception {
    startCluster(1);
    awaitLeader(List.of(1));
    byte[] result = await(servers.get(1).propose("a".getBytes(UTF_8)));
    ServerStatus s = servers.get(1).awaitStatus(st -> st.appliedIndex() >= 2, Duration.ofSeconds(WAIT_SECONDS));
    assertArrayEquals("2:a".getBytes(UTF_8), result);
    assertTrue(s.appliedIndex() <= s.commitIndex() && s.commitIndex() <= s.lastLogIndex(), s.describe());
    assertEquals(1, s.leaderId());
  }
}
