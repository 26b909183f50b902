package org.raftref.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.raftref.message.LogEntry;

/** An entry is the proposal's exactly when index and term both match (Log Matching, §5.3). */
class PendingProposalsTest {

  private final PendingProposals pending = new PendingProposals();
  private final Completions completions = new Completions();

  private void deliver() {
    completions.drain().run();
  }

  private static Throwable cause(CompletableFuture<byte[]> f) {
    return assertThrows(ExecutionException.class, f::get).getCause();
  }

  @Test
  void theEntryOfTheProposalsTermCompletesIt() throws Exception {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    pending.register(5, 2, f, completions);
    pending.applied(4, 2, new byte[] {4}, completions);
    pending.applied(5, 2, new byte[] {5}, completions);
    deliver();
    assertArrayEquals(new byte[] {5}, f.get());
    assertEquals(0, pending.size());
  }

  @Test
  void anEntryOfAnotherTermAtTheIndexFailsIt() {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    pending.register(5, 2, f, completions);
    pending.applied(5, 3, new byte[] {5}, completions);
    deliver();
    EntryOverwrittenException e = assertInstanceOf(EntryOverwrittenException.class, cause(f));
    assertEquals(5, e.index());
    assertEquals(2, e.term());
  }

  @Test
  void aRewrittenLogFailsTheProposalsItReplacedOrCutOff() throws Exception {
    CompletableFuture<byte[]> kept = new CompletableFuture<>();
    CompletableFuture<byte[]> replaced = new CompletableFuture<>();
    CompletableFuture<byte[]> cutOff = new CompletableFuture<>();
    pending.register(3, 2, kept, completions);
    pending.register(4, 2, replaced, completions);
    pending.register(6, 2, cutOff, completions);
    // The log from index 3 on is now [term 2, term 3]: index 3 keeps its entry, 4 gets another, 6 is gone.
    pending.logReplaced(3, List.of(new LogEntry(2, new byte[0]), new LogEntry(3, new byte[0])), completions);
    deliver();
    assertFalse(kept.isDone());
    assertInstanceOf(EntryOverwrittenException.class, cause(replaced));
    assertInstanceOf(EntryOverwrittenException.class, cause(cutOff));
    assertEquals(1, pending.size());
  }

  @Test
  void aNewProposalAtAnIndexFailsTheOldOne() {
    CompletableFuture<byte[]> old = new CompletableFuture<>();
    CompletableFuture<byte[]> fresh = new CompletableFuture<>();
    pending.register(7, 1, old, completions);
    pending.register(7, 4, fresh, completions);
    deliver();
    assertInstanceOf(EntryOverwrittenException.class, cause(old));
    assertFalse(fresh.isDone());
  }

  @Test
  void failAllAnswersEveryone() {
    CompletableFuture<byte[]> a = new CompletableFuture<>();
    CompletableFuture<byte[]> b = new CompletableFuture<>();
    pending.register(1, 1, a, completions);
    pending.register(2, 1, b, completions);
    pending.failAll(new ServerStoppedException("stopped", null), completions);
    assertTrue(!a.isDone() && !b.isDone(), "outcomes are delivered off the driver thread, in a batch");
    deliver();
    assertInstanceOf(ServerStoppedException.class, cause(a));
    assertInstanceOf(ServerStoppedException.class, cause(b));
    assertEquals(0, pending.size());
  }
}
