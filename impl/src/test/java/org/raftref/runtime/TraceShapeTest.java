package org.raftref.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace check the TCP test relies on rejects a receive placed before the Persist that releases it. */
class TraceShapeTest {

  private static final String HEADER =
      "{\"format\":\"raftref-trace\",\"schema\":1,\"members\":[1,2],\"maxEntriesPerAppend\":64,\"origin\":\"t\"}";
  private static final String STATE1 =
      "\"state\":{\"currentTerm\":1,\"votedFor\":1,\"role\":\"Candidate\",\"commitIndex\":0,\"log\":[],\"votes\":[1]}";
  private static final String TIMEOUT = "{\"seq\":1,\"node\":1,\"action\":\"Timeout\"," + STATE1 + "}";
  private static final String RVR =
      "{\"type\":\"RequestVoteRequest\",\"from\":1,\"to\":2,\"term\":1,\"lastLogTerm\":0,\"lastLogIndex\":0}";

  private static String persist(int seq) {
    return "{\"seq\":" + seq + ",\"node\":1,\"action\":\"Persist\"," + STATE1 + "}";
  }

  private static String updateTerm(int seq) {
    return "{\"seq\":" + seq + ",\"node\":2,\"action\":\"UpdateTerm\",\"peer\":1,\"recv\":" + RVR + ","
        + "\"state\":{\"currentTerm\":1,\"votedFor\":0,\"role\":\"Follower\",\"commitIndex\":0,\"log\":[]}}";
  }

  @Test
  void aReceiveAfterThePersistThatReleasedItPasses(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("t.ndjson"),
        HEADER + "\n" + TIMEOUT + "\n" + persist(2) + "\n" + updateTerm(3) + "\n");
    assertEquals(3, TraceShape.check(file).events());
  }

  @Test
  void aReceiveBeforeThePersistFails(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("t.ndjson"),
        HEADER + "\n" + TIMEOUT + "\n" + updateTerm(2) + "\n" + persist(3) + "\n");
    AssertionError e = assertThrows(AssertionError.class, () -> TraceShape.check(file));
    assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("no earlier Persist"), e.getMessage());
  }

  @Test
  void aMissingFieldFails(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("t.ndjson"),
        HEADER + "\n" + TIMEOUT + "\n" + persist(2).replace(",\"state\"", ",\"peer\":2,\"state\"") + "\n");
    AssertionError e = assertThrows(AssertionError.class, () -> TraceShape.check(file));
    assertTrue(e.getMessage().contains("exactly the fields"), e.getMessage());
  }
}
