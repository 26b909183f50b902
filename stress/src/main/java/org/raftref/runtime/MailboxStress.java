package org.raftref.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The driver's inbound {@link Mailbox}: transport and client threads offer, the driver drains, a stopping
 * thread closes. Every test calls the production class; the drain never waits (its deadline is now), so that
 * each actor finishes and jcstress can explore the interleavings. Two actors per test at most: jcstress skips a
 * test with more actors than the machine has CPUs, and CI has two.
 */
public final class MailboxStress {

  private MailboxStress() {}

  /** Drains whatever is queued now, without waiting; the count drained, or -1 if the mailbox was closed. */
  static <T> int drainNow(Mailbox<T> mailbox, List<T> out) {
    try {
      return mailbox.drainTo(out, Integer.MAX_VALUE, System.nanoTime()) ? out.size() : -1;
    } catch (InterruptedException e) {
      throw new IllegalStateException("no actor interrupts another", e);
    }
  }

  /** A mutable item with a plain field: only the mailbox's lock can publish the write made before offer(). */
  static final class Item {
    int value;
  }

  @JCStressTest
  @Description("An item's fields written before offer() are seen by the driver that drains it: the mailbox's"
      + " lock (offer's unlock happens-before drainTo's lock) publishes what a transport or client thread built."
      + " And an item the driver's drain missed is still queued for the next one. Result: items drained, the"
      + " drained item's field, items left queued.")
  @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "The driver drained before the offer; the item waits.")
  @Outcome(id = "1, 42, 0", expect = ACCEPTABLE, desc = "Drained, with the field as written before offer().")
  @Outcome(expect = FORBIDDEN, desc = "Drained an item whose field was not yet written (the mailbox did not"
      + " publish it: the driver would step a half-built message or proposal), or the item was lost or kept twice.")
  @State
  public static class Publication {

    private final Mailbox<Item> mailbox = new Mailbox<>(4);

    @Actor
    public void client() {
      Item item = new Item();
      item.value = 42;
      mailbox.offer(item);
    }

    @Actor
    public void driver(III_Result r) {
      List<Item> out = new ArrayList<>(1);
      r.r1 = drainNow(mailbox, out);
      r.r2 = out.isEmpty() ? 0 : out.get(0).value;
    }

    @Arbiter
    public void left(III_Result r) {
      r.r3 = mailbox.size();
    }
  }

  @JCStressTest
  @Description("No item is lost when offer and close race (RaftServer.stop() closes while clients propose): an"
      + " offer that returned ACCEPTED is returned by close(), which fails its proposal with"
      + " ServerStoppedException; an offer refused as CLOSED is not; a drain after close reports the mailbox"
      + " closed and moves nothing. Result: offer accepted, items close() returned, the later drain (-1: closed).")
  @Outcome(id = "1, 1, -1", expect = ACCEPTABLE, desc = "Accepted before close; close() returned it.")
  @Outcome(id = "0, 0, -1", expect = ACCEPTABLE, desc = "Refused as CLOSED; close() returned nothing.")
  @Outcome(expect = FORBIDDEN, desc = "An accepted item that close() did not return (its client would wait"
      + " forever), a refused one that it did (answered twice), or a drain that took items after close.")
  @State
  public static class OfferClose {

    private final Mailbox<Item> mailbox = new Mailbox<>(4);

    @Actor
    public void client(III_Result r) {
      r.r1 = mailbox.offer(new Item()) == Mailbox.Offer.ACCEPTED ? 1 : 0;
    }

    @Actor
    public void stopper(III_Result r) {
      r.r2 = mailbox.close().size();
    }

    @Arbiter
    public void driverAfterwards(III_Result r) {
      r.r3 = drainNow(mailbox, new ArrayList<>(1));
    }
  }

  @JCStressTest
  @Description("The capacity bound is exact under concurrent offers: of two offers into a mailbox of capacity 1,"
      + " exactly one is ACCEPTED and the other is refused as FULL (a refused proposal fails with"
      + " ServerBusyException; a refused message is a lost packet to Raft).")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The first client's offer won; the second's was refused.")
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The second client's offer won; the first's was refused.")
  @Outcome(expect = FORBIDDEN, desc = "Both accepted (over capacity) or both refused (space was free).")
  @State
  public static class Capacity {

    private final Mailbox<Item> mailbox = new Mailbox<>(1);

    @Actor
    public void client1(II_Result r) {
      r.r1 = mailbox.offer(new Item()) == Mailbox.Offer.ACCEPTED ? 1 : 0;
    }

    @Actor
    public void client2(II_Result r) {
      r.r2 = mailbox.offer(new Item()) == Mailbox.Offer.ACCEPTED ? 1 : 0;
    }
  }
}
