package org.raftref.transport;

import java.util.concurrent.atomic.LongAdder;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A transport's counters, updated by any of its threads; {@link #snapshot()} reads them. */
final class Counters {

  final LongAdder sent = new LongAdder();
  final LongAdder dropped = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder connects = new LongAdder();
  private volatile @Nullable String lastRejection;

  /** Counts a rejected frame or connection; the reason is kept before the count moves. */
  void rejected(String reason) {
    lastRejection = reason;
    rejected.increment();
  }

  TransportStats snapshot() {
    return new TransportStats(sent.sum(), dropped.sum(), received.sum(), rejected.sum(), connects.sum(),
        lastRejection);
  }
}
