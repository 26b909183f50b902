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
import org.openjdk.jcstress.infra.results.II_Result;
import org.raftref.core.Role;

/**
 * Two handoffs chained: the driver ends a round by publishing its status and then handing the round's
 * completions over (this order is {@code Driver.loop}'s, repeated here because a sample cannot run a whole
 * driver); the classes are the production {@link StatusPublisher} and {@link Completions}.
 */
@JCStressTest
@Description("A client that sees its proposal complete then reads a status whose appliedIndex covers the proposal's"
    + " entry: the status publish precedes the completion hand-over on the driver, and the executor queue and"
    + " the future carry that order to the client. Result: 1 if the future was complete, the appliedIndex read"
    + " after it.")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Not complete yet; the status read shows the old round.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Not complete yet; the new round's status is already published.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Complete, and the status shows the entry applied.")
@Outcome(expect = FORBIDDEN, desc = "Complete, but the status still says the entry is not applied: a client could"
    + " see its write done and then a status from before it.")
@State
public class CompletionAfterStatusStress {

  private static final ExecutorService COMPLETER = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "completions-under-test");
    thread.setDaemon(true);
    return thread;
  });

  private final StatusPublisher publisher = new StatusPublisher(applied(0));
  private final Completions completions = new Completions();
  private final CompletableFuture<byte[]> proposal = new CompletableFuture<>();

  private static ServerStatus applied(long index) {
    return new ServerStatus(1, ServerStatus.State.RUNNING, 1, Role.Leader, 1, index, index, index, index, null);
  }

  @Actor
  public void driver() {
    completions.succeed(proposal, new byte[] {1}); // decided while applying entry 1 ...
    publisher.publish(applied(1));                 // ... then the round ends: publish, then hand over
    COMPLETER.execute(completions.drain());
  }

  @Actor
  public void client(II_Result r) {
    r.r1 = proposal.isDone() ? 1 : 0;
    r.r2 = (int) publisher.current().appliedIndex();
  }
}
