package org.raftref.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The driver's inbound {@link Mailbox}: transport and client threads offer, the driver drains, a stopping
 * thread closes. Every test calls the production class; the drain never waits (its deadline is now), so that
 * each actor finishes and jcstress can explore the interleavings.
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
      + " lock (offer's unlock happens-before drainTo's lock) publishes what a transport or client thread built.")
  @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The driver drained before the offer: nothing yet.")
  @Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "Drained, with the field as written before offer().")
  @Outcome(expect = FORBIDDEN, desc = "Drained an item whose field was not yet written: the mailbox did not"
      + " publish it, so the driver would step a half-built message or proposal.")
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
    public void driver(II_Result r) {
      List<Item> out = new ArrayList<>(1);
      r.r1 = drainNow(mailbox, out);
      r.r2 = out.isEmpty() ? 0 : out.get(0).value;
    }
  }

  @JCStressTest
  @Description("No item is lost or handed out twice when offer, drain and close race: an offer that returned"
      + " ACCEPTED is either drained by the driver or returned by close() (which answers its client), exactly"
      + " once; an offer refused as CLOSED is in neither.")
  @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "Accepted, drained by the driver, then closed.")
  @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Accepted, then close() returned it (drain before offer).")
  @Outcome(id = "1, -1, 1", expect = ACCEPTABLE, desc = "Accepted, then close() returned it; the driver's drain"
      + " came after close and reported the mailbox closed.")
  @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Refused (closed); the drain ran before close, empty.")
  @Outcome(id = "0, -1, 0", expect = ACCEPTABLE, desc = "Refused (closed); the drain ran after close.")
  @Outcome(expect = FORBIDDEN, desc = "An accepted item was lost (in neither), duplicated (in both), or a"
      + " refused one showed up: a client would wait forever, or be answered twice.")
  @State
  public static class OfferDrainClose {

    private final Mailbox<Item> mailbox = new Mailbox<>(4);

    @Actor
    public void client(III_Result r) {
      r.r1 = mailbox.offer(new Item()) == Mailbox.Offer.ACCEPTED ? 1 : 0;
    }

    @Actor
    public void driver(III_Result r) {
      r.r2 = drainNow(mailbox, new ArrayList<>(1));
    }

    @Actor
    public void stopper(III_Result r) {
      r.r3 = mailbox.close().size();
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
