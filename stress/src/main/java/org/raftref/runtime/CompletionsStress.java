package org.raftref.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Apply → client future: the driver records outcomes in {@link Completions} and hands a drained batch to a
 * single-thread executor (as {@link RaftServer} builds it), which completes the futures; a client thread reads
 * them. The executor is one per test JVM, like one server's completion thread.
 */
@JCStressTest
@Description("A client that sees a proposal's result sees the bytes the state machine wrote into it on the driver"
    + " (the executor's queue, then the future's completion, publish them), and sees every earlier proposal of"
    + " the batch completed too (a batch completes its futures in order). Result: first byte of the second"
    + " proposal's result (-1: not complete), whether the first is complete, first byte of its result (-1: not"
    + " complete).")
@Outcome(id = "-1, 0, -1", expect = ACCEPTABLE, desc = "Neither completed yet.")
@Outcome(id = "-1, 1, 5", expect = ACCEPTABLE, desc = "Only the first completed so far.")
@Outcome(id = "7, 1, 5", expect = ACCEPTABLE, desc = "Both completed, with the results as written.")
@Outcome(expect = FORBIDDEN, desc = "The second completed before the first, or a result was seen before its bytes:"
    + " a client could act on a later write while an earlier one looks pending, or read a zeroed result.")
@State
public class CompletionsStress {

  private static final ExecutorService COMPLETER = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "completions-under-test");
    thread.setDaemon(true);
    return thread;
  });

  private final Completions completions = new Completions();
  private final CompletableFuture<byte[]> first = new CompletableFuture<>();
  private final CompletableFuture<byte[]> second = new CompletableFuture<>();

  @Actor
  public void driver() {
    byte[] firstResult = new byte[1];
    firstResult[0] = 5;
    byte[] secondResult = new byte[1];
    secondResult[0] = 7;
    completions.succeed(first, firstResult);
    completions.succeed(second, secondResult);
    COMPLETER.execute(completions.drain());
  }

  @Actor
  public void client(III_Result r) {
    byte[] secondResult = second.getNow(null);
    byte[] firstResult = first.getNow(null);
    r.r1 = secondResult == null ? -1 : secondResult[0];
    r.r2 = firstResult == null ? 0 : 1;
    r.r3 = firstResult == null ? -1 : firstResult[0];
  }
}
