package org.raftref.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteResponse;

/** {@link NdjsonSink} writes docs/trace-format.md, deterministically, and does not lose a write error. */
class NdjsonSinkTest {

  private static final long SEED = 7;

  /** Election of node 1, one command "test" committed, a heartbeat round with a duplicate and a drop, a restart. */
  private static void scriptedRun(TraceSink sink) {
    HandDrivenCluster cluster = new HandDrivenCluster(3, 2, SEED, sink);
    cluster.tickUntilCandidate(1);
    cluster.deliverAll(100);
    cluster.propose(1, "test");
    cluster.deliverAll(100);
    cluster.tick(1);
    cluster.duplicateNext();
    cluster.dropNext();
    cluster.deliverAll(100);
    cluster.restart(2);
  }

  private static String scriptedTrace() {
    StringWriter out = new StringWriter();
    try (NdjsonSink sink = new NdjsonSink(out, "memory", header())) {
      scriptedRun(sink);
    }
    return out.toString();
  }

  private static TraceHeader header() {
    return new TraceHeader(List.of(3, 1, 2), 2, "NdjsonSinkTest seed=" + SEED);
  }

  private static List<String> lines(String trace) {
    assertTrue(trace.endsWith("\n"), "every line ends with a newline");
    return List.of(trace.split("\n", -1)).subList(0, trace.split("\n", -1).length - 1);
  }

  private static String lineOfSeq(List<String> lines, int seq) {
    String line = lines.get(seq);
    assertTrue(line.startsWith("{\"seq\":" + seq + ","), "line " + (seq + 1) + " is event " + seq + ": " + line);
    return line;
  }

  @Test
  void headerNamesFormatSchemaAndTheClusterWithMembersAscending() {
    assertEquals("{\"format\":\"raftref-trace\",\"schema\":1,\"members\":[1,2,3],\"maxEntriesPerAppend\":2,"
        + "\"origin\":\"NdjsonSinkTest seed=7\"}", lines(scriptedTrace()).get(0));
  }

  @Test
  void timeoutRecordsTheCandidatesStateWithItsOwnVote() {
    assertEquals("{\"seq\":1,\"node\":1,\"action\":\"Timeout\",\"state\":{\"currentTerm\":1,\"votedFor\":1,"
        + "\"role\":\"Candidate\",\"commitIndex\":0,\"log\":[],\"votes\":[1]}}", lineOfSeq(lines(scriptedTrace()), 1));
  }

  @Test
  void voteRequestHandlingRecordsPeerReceivedAndSentMessages() {
    List<String> lines = lines(scriptedTrace());
    // Node 2 first adopts term 1 (UpdateTerm, message not consumed), then grants its vote.
    assertEquals("{\"seq\":3,\"node\":2,\"action\":\"UpdateTerm\",\"peer\":1,\"recv\":{\"type\":\"RequestVoteRequest\","
        + "\"from\":1,\"to\":2,\"term\":1,\"lastLogTerm\":0,\"lastLogIndex\":0},\"state\":{\"currentTerm\":1,"
        + "\"votedFor\":0,\"role\":\"Follower\",\"commitIndex\":0,\"log\":[]}}", lineOfSeq(lines, 3));
    assertEquals("{\"seq\":4,\"node\":2,\"action\":\"HandleRequestVoteRequest\",\"peer\":1,\"recv\":{\"type\":"
        + "\"RequestVoteRequest\",\"from\":1,\"to\":2,\"term\":1,\"lastLogTerm\":0,\"lastLogIndex\":0},\"sent\":"
        + "{\"type\":\"RequestVoteResponse\",\"from\":2,\"to\":1,\"term\":1,\"voteGranted\":true},\"state\":"
        + "{\"currentTerm\":1,\"votedFor\":1,\"role\":\"Follower\",\"commitIndex\":0,\"log\":[]}}",
        lineOfSeq(lines, 4));
  }

  @Test
  void leaderStateCarriesNextAndMatchIndexPerPeer() {
    String line = lineOfSeq(lines(scriptedTrace()), 10);
    assertTrue(line.startsWith("{\"seq\":10,\"node\":1,\"action\":\"BecomeLeader\","), line);
    assertTrue(line.endsWith("\"log\":[[1,1]],\"nextIndex\":{\"2\":1,\"3\":1},\"matchIndex\":{\"2\":0,\"3\":0}}}"), line);
  }

  @Test
  void clientRequestRecordsTheCommandsDigestAndAppendEntriesCarriesIt() {
    List<String> lines = lines(scriptedTrace());
    String request = lineOfSeq(lines, 22);
    String value = String.format("%016x", ValueDigest.digest("test".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(request.startsWith("{\"seq\":22,\"node\":1,\"action\":\"ClientRequest\",\"value\":\"" + value + "\","
        + "\"state\":"), request);
    assertTrue(lineOfSeq(lines, 23).contains("\"sent\":{\"type\":\"AppendEntriesRequest\",\"from\":1,\"to\":2,"
        + "\"term\":1,\"prevLogIndex\":1,\"prevLogTerm\":1,\"entries\":[[1,\"" + value + "\"]],\"leaderCommit\":1}"));
  }

  @Test
  void environmentEventsCarryTheirMessageOrNodeAndNoState() {
    List<String> lines = lines(scriptedTrace());
    String heartbeat = "{\"type\":\"AppendEntriesRequest\",\"from\":1,\"to\":2,\"term\":1,\"prevLogIndex\":2,"
        + "\"prevLogTerm\":1,\"entries\":[],\"leaderCommit\":2}";
    int duplicate = 0;
    while (!lines.get(duplicate).contains("DuplicateMessage")) {
      duplicate++; // line k holds event k (line 0 is the header)
    }
    assertEquals("{\"seq\":" + duplicate + ",\"action\":\"DuplicateMessage\",\"msg\":" + heartbeat + "}",
        lineOfSeq(lines, duplicate));
    assertEquals("{\"seq\":" + (duplicate + 1) + ",\"action\":\"DropMessage\",\"msg\":" + heartbeat + "}",
        lineOfSeq(lines, duplicate + 1));
    assertEquals("{\"seq\":" + (lines.size() - 1) + ",\"node\":2,\"action\":\"Restart\"}",
        lines.get(lines.size() - 1));
  }

  @Test
  void everyCallIsOneLineNumberedInOrder() {
    StringWriter out = new StringWriter();
    int[] calls = new int[1];
    try (NdjsonSink sink = new NdjsonSink(out, "memory", header())) {
      scriptedRun(new TraceSink() {
        @Override
        public void nodeStep(TraceAction action, NodeStateView post, @Nullable Message received,
            @Nullable Message sent) {
          calls[0]++;
          sink.nodeStep(action, post, received, sent);
        }

        @Override
        public void environmentStep(TraceAction action, int node, @Nullable Message message) {
          calls[0]++;
          sink.environmentStep(action, node, message);
        }
      });
      assertEquals(calls[0], sink.eventCount());
    }
    List<String> lines = lines(out.toString());
    assertEquals(calls[0] + 1, lines.size());
    for (int seq = 1; seq < lines.size(); seq++) {
      lineOfSeq(lines, seq);
    }
  }

  @Test
  void sameRunWritesTheSameBytesToAWriterAndToAFile(@TempDir Path dir) throws IOException {
    String first = scriptedTrace();
    assertEquals(first, scriptedTrace());
    Path file = dir.resolve("run.ndjson");
    try (NdjsonSink sink = NdjsonSink.toFile(file, header())) {
      scriptedRun(sink);
    }
    assertArrayEquals(first.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
  }

  @Test
  void logIsWrittenAsRunsOfEqualTermsAsTheNodeHasIt() {
    assertEquals("\"log\":[[1,2],[3,5]]", logOf(List.of(1L, 1L, 3L, 3L, 3L)));
    assertEquals("\"log\":[[2,1],[1,2]]", logOf(List.of(2L, 1L)));
    assertEquals("\"log\":[]", logOf(List.of()));
  }

  private static String logOf(List<Long> terms) {
    StringWriter out = new StringWriter();
    try (NdjsonSink sink = new NdjsonSink(out, "memory", header())) {
      sink.nodeStep(TraceAction.Persist, new FakeNodeState(1, List.of(1, 2, 3), terms), null, null);
    }
    String line = lines(out.toString()).get(1);
    return line.substring(line.indexOf("\"log\":"), line.lastIndexOf("}}"));
  }

  /** A writer whose every write fails, counting the attempts. */
  private static final class BrokenWriter extends Writer {
    int writes;

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
      writes++;
      throw new IOException("No space left on device");
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void writeFailureIsNotThrownIntoTheCoreButFromFlushAndClose() {
    BrokenWriter broken = new BrokenWriter();
    NdjsonSink sink = new NdjsonSink(broken, "broken.ndjson", header());
    scriptedRun(sink); // the core must not see the failure: the run completes

    UncheckedIOException onFlush = assertThrows(UncheckedIOException.class, sink::flush);
    assertTrue(onFlush.getMessage().startsWith("trace broken.ndjson: write failed while writing event "),
        onFlush.getMessage());
    assertTrue(onFlush.getMessage().endsWith(", so the trace is incomplete: No space left on device"),
        onFlush.getMessage());
    UncheckedIOException onClose = assertThrows(UncheckedIOException.class, sink::close);
    assertEquals(onFlush.getMessage(), onClose.getMessage());
    assertEquals(1, broken.writes, "nothing is written after the first failure");
  }

  @Test
  void failureWhenClosingIsThrownFromClose() {
    BrokenWriter broken = new BrokenWriter();
    NdjsonSink sink = new NdjsonSink(broken, "small.ndjson", header());
    sink.environmentStep(TraceAction.Restart, 1, null); // stays in the generator's buffer
    UncheckedIOException e = assertThrows(UncheckedIOException.class, sink::close);
    assertEquals("trace small.ndjson: write failed while closing after event 1, so the trace is incomplete: "
        + "No space left on device", e.getMessage());
  }

  @Test
  void fileThatCannotBeCreatedIsNamed(@TempDir Path dir) {
    Path file = dir.resolve("missing-dir").resolve("run.ndjson");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> NdjsonSink.toFile(file, header()));
    assertTrue(e.getMessage().startsWith("trace " + file + ": cannot create: "), e.getMessage());
  }

  @Test
  void driverBugsThrowAtOnce() {
    NdjsonSink sink = new NdjsonSink(new StringWriter(), "memory", header());
    assertThrows(IllegalArgumentException.class, () -> sink.environmentStep(TraceAction.DropMessage, 0, null));
    assertThrows(IllegalArgumentException.class, () -> sink.environmentStep(TraceAction.Restart, 0, null));
    assertThrows(IllegalArgumentException.class,
        () -> sink.environmentStep(TraceAction.Timeout, 1, new RequestVoteResponse(1, 2, 1, true)));
    sink.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> sink.environmentStep(TraceAction.Restart, 1, null));
    assertEquals("trace memory is closed; Restart came after close()", e.getMessage());
  }
}
