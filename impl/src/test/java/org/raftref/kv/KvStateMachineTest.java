package org.raftref.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link KvStateMachine}: the map's semantics, the no-op, duplicate detection, and bad entries. */
class KvStateMachineTest {

  private final KvStateMachine machine = new KvStateMachine();

  /** Applies a request as the next entry and decodes the result. */
  private KvResult apply(long client, long sequence, KvCommand command) {
    return applyBytes(new KvRequest(client, sequence, command).encode());
  }

  private KvResult applyBytes(byte[] command) {
    try {
      return KvResult.decode(machine.apply(machine.lastApplied() + 1, command));
    } catch (MalformedCommandException e) {
      throw new AssertionError("the state machine returned a malformed result: " + e.getMessage(), e);
    }
  }

  @Test
  void putGetAppendDelete() {
    assertEquals(KvResult.NOT_FOUND, apply(1, 1, new KvCommand.Get("k")));
    assertEquals(KvResult.OK, apply(1, 2, new KvCommand.Append("k", "a")));
    assertEquals(new KvResult.Value("a"), apply(1, 3, new KvCommand.Get("k")));
    assertEquals(KvResult.OK, apply(1, 4, new KvCommand.Append("k", "b")));
    assertEquals(new KvResult.Value("ab"), apply(1, 5, new KvCommand.Get("k")));
    assertEquals(KvResult.OK, apply(1, 6, new KvCommand.Put("k", "p")));
    assertEquals(new KvResult.Value("p"), apply(1, 7, new KvCommand.Get("k")));
    assertEquals(KvResult.OK, apply(1, 8, new KvCommand.Delete("k")));
    assertEquals(KvResult.NOT_FOUND, apply(1, 9, new KvCommand.Get("k")));
    assertEquals(KvResult.OK, apply(1, 10, new KvCommand.Delete("k")));
    assertEquals(0, machine.size());
    assertEquals(10, machine.lastApplied());
  }

  @Test
  void noOpEntryIsAcceptedAndChangesNothing() {
    apply(1, 1, new KvCommand.Put("k", "v"));
    assertArrayEquals(new byte[0], machine.apply(2, new byte[0]));
    assertEquals(2, machine.lastApplied());
    assertEquals("v", machine.localValue("k"));
  }

  /** §8 of the paper: the leader committed the append and crashed before replying; the client retried. */
  @Test
  void retriedRequestTakesEffectOnceAndGetsTheFirstAnswer() {
    assertEquals(KvResult.OK, apply(7, 1, new KvCommand.Append("k", "a")));
    assertEquals(KvResult.OK, apply(7, 1, new KvCommand.Append("k", "a")));
    assertEquals("a", machine.localValue("k"));
  }

  @Test
  void retriedReadGetsTheValueOfItsFirstCopy() {
    apply(1, 1, new KvCommand.Put("k", "old"));
    assertEquals(new KvResult.Value("old"), apply(2, 1, new KvCommand.Get("k")));
    apply(1, 2, new KvCommand.Put("k", "new"));
    assertEquals(new KvResult.Value("old"), apply(2, 1, new KvCommand.Get("k")));
  }

  @Test
  void clientsAreTrackedSeparately() {
    apply(1, 1, new KvCommand.Append("k", "a"));
    apply(2, 1, new KvCommand.Append("k", "b"));
    assertEquals("ab", machine.localValue("k"));
    assertEquals(2, machine.clients());
  }

  @Test
  void requestOlderThanTheClientsLastIsRejectedWithoutEffect() {
    apply(5, 2, new KvCommand.Put("k", "second"));
    KvResult late = apply(5, 1, new KvCommand.Put("k", "first"));
    assertEquals(new KvResult.Rejected("client 5 request 1 is older than request 2, already applied"), late);
    assertEquals("second", machine.localValue("k"));
  }

  @Test
  void clientMaySkipSequenceNumbers() {
    // It gave up on request 1, which never reached the log.
    assertEquals(KvResult.OK, apply(5, 2, new KvCommand.Put("k", "v")));
    assertEquals(new KvResult.Value("v"), apply(5, 3, new KvCommand.Get("k")));
  }

  @Test
  void malformedEntryGetsAnErrorResultAndTheNextEntryStillApplies() {
    KvResult bad = applyBytes(new byte[] {1, 9});
    assertEquals(new KvResult.Rejected("entry 1 is not a request: request of 2 bytes, byte 2: ends inside the"
        + " client id"), bad);
    assertEquals(KvResult.OK, apply(1, 1, new KvCommand.Put("k", "v")));
    assertEquals("v", machine.localValue("k"));
  }

  @Test
  void entriesOutOfOrderAreAnError() {
    machine.apply(1, new byte[0]);
    IllegalArgumentException skipped = assertThrows(IllegalArgumentException.class,
        () -> machine.apply(3, new byte[0]));
    assertEquals("entries must be applied in index order: expected index 2, got 3", skipped.getMessage());
    assertThrows(IllegalArgumentException.class, () -> machine.apply(1, new byte[0]));
    assertEquals(1, machine.lastApplied());
  }

  @Test
  void freshMachineStartsAtIndexOne() {
    assertNull(machine.localValue("k"));
    assertEquals(0, machine.lastApplied());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> machine.apply(0, new byte[0]))
        .getMessage().contains("expected index 1, got 0"));
  }
}
