package org.raftref.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Lamport's clock condition: a send happens before its receive, so the receive gets a larger time. */
class LamportClockTest {

  @Test
  void aReceiveIsLaterThanItsSend() {
    LamportClock sender = new LamportClock(0);
    LamportClock receiver = new LamportClock(0);
    for (int i = 0; i < 10; i++) {
      sender.tick();
    }
    long sentAt = sender.now();
    receiver.tick();
    receiver.witness(sentAt);
    assertTrue(receiver.tick() > sentAt);
  }

  @Test
  void anOldMessageDoesNotMoveTheClockBack() {
    LamportClock clock = new LamportClock(100);
    clock.witness(5);
    assertEquals(100, clock.now());
    assertEquals(101, clock.tick());
  }

  @Test
  void aNewIncarnationStartsAboveTheOld() {
    assertEquals(43, new LamportClock(42).tick());
    assertThrows(IllegalArgumentException.class, () -> new LamportClock(-1));
  }
}
