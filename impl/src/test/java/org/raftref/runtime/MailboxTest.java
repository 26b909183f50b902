package org.raftref.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MailboxTest {

  private static final long FAR = TimeUnit.SECONDS.toNanos(30);

  @Test
  void drainsInOfferOrderUpToTheBound() throws Exception {
    Mailbox<Integer> mailbox = new Mailbox<>(10);
    for (int i = 0; i < 5; i++) {
      assertEquals(Mailbox.Offer.ACCEPTED, mailbox.offer(i));
    }
    List<Integer> out = new ArrayList<>();
    assertTrue(mailbox.drainTo(out, 3, System.nanoTime()));
    assertEquals(List.of(0, 1, 2), out);
    assertTrue(mailbox.drainTo(out, 10, System.nanoTime()));
    assertEquals(List.of(0, 1, 2, 3, 4), out);
  }

  @Test
  void refusesWhenFull() {
    Mailbox<String> mailbox = new Mailbox<>(2);
    assertEquals(Mailbox.Offer.ACCEPTED, mailbox.offer("a"));
    assertEquals(Mailbox.Offer.ACCEPTED, mailbox.offer("b"));
    assertEquals(Mailbox.Offer.FULL, mailbox.offer("c"));
    assertEquals(2, mailbox.size());
  }

  @Test
  void aDeadlineInThePastReturnsAtOnceWithNothing() throws Exception {
    Mailbox<String> mailbox = new Mailbox<>(2);
    List<String> out = new ArrayList<>();
    assertTrue(mailbox.drainTo(out, 10, System.nanoTime() - 1));
    assertTrue(out.isEmpty());
  }

  /** No item is forgotten: close hands back what is queued, and every later offer is refused. */
  @Test
  void closeReturnsWhatIsQueuedAndRefusesLaterOffers() throws Exception {
    Mailbox<String> mailbox = new Mailbox<>(4);
    mailbox.offer("a");
    mailbox.offer("b");
    assertEquals(List.of("a", "b"), mailbox.close());
    assertEquals(Mailbox.Offer.CLOSED, mailbox.offer("c"));
    assertTrue(mailbox.isClosed());
    assertEquals(List.of(), mailbox.close());
    assertFalse(mailbox.drainTo(new ArrayList<>(), 10, System.nanoTime() + FAR));
  }

  @Test
  void anOfferWakesAWaitingDrain() throws Exception {
    Mailbox<String> mailbox = new Mailbox<>(4);
    CompletableFuture<List<String>> drained = CompletableFuture.supplyAsync(() -> {
      List<String> out = new ArrayList<>();
      try {
        while (out.isEmpty()) {
          mailbox.drainTo(out, 10, System.nanoTime() + FAR);
        }
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return out;
    });
    mailbox.offer("wake");
    assertEquals(List.of("wake"), drained.get(30, TimeUnit.SECONDS));
  }

  @Test
  void closeWakesAWaitingDrain() throws Exception {
    Mailbox<String> mailbox = new Mailbox<>(4);
    CompletableFuture<Boolean> open = CompletableFuture.supplyAsync(() -> {
      try {
        return mailbox.drainTo(new ArrayList<>(), 10, System.nanoTime() + FAR);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    mailbox.close();
    assertFalse(open.get(30, TimeUnit.SECONDS));
  }
}
