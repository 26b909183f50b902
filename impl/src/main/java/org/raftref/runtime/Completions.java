package org.raftref.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Outcomes of proposals that the driver decided during one round, delivered together afterwards on the
 * completion thread (see {@link RaftServer}): completing a future runs the client's dependent actions on
 * the completing thread, and those must never run on (and stall) the driver.
 *
 * <p>Confined to the driver thread until {@link #drain()} hands a batch over; the executor's queue is the
 * happens-before edge to the completion thread, and the batch is never touched by the driver again.
 */
final class Completions {

  private record Outcome(CompletableFuture<byte[]> future, byte @Nullable [] result, @Nullable Throwable failure) {

    void deliver() {
      if (failure != null) {
        future.completeExceptionally(failure);
      } else if (result != null) {
        future.complete(result);
      }
    }
  }

  private List<Outcome> batch = new ArrayList<>();

  void succeed(CompletableFuture<byte[]> future, byte[] result) {
    batch.add(new Outcome(future, result, null));
  }

  void fail(CompletableFuture<byte[]> future, Throwable failure) {
    batch.add(new Outcome(future, null, failure));
  }

  boolean isEmpty() {
    return batch.isEmpty();
  }

  int size() {
    return batch.size();
  }

  /** Takes the batch as one task that completes its futures in order; this object starts a new batch. */
  Runnable drain() {
    List<Outcome> taken = batch;
    batch = new ArrayList<>();
    return () -> {
      for (Outcome outcome : taken) {
        outcome.deliver();
      }
    };
  }
}
