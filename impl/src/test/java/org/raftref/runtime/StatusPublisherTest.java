package org.raftref.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.raftref.core.Role;

class StatusPublisherTest {

  private static ServerStatus status(long term, Role role) {
    return new ServerStatus(1, ServerStatus.State.RUNNING, term, role, role == Role.Leader ? 1 : 0, 0, 0, 0, 0, null);
  }

  @Test
  void readersSeeTheLatestSnapshot() {
    StatusPublisher publisher = new StatusPublisher(status(0, Role.Follower));
    ServerStatus leader = status(3, Role.Leader);
    publisher.publish(leader);
    assertEquals(leader, publisher.current());
  }

  @Test
  void awaitReturnsTheFirstSnapshotThatMeetsTheCondition() throws Exception {
    StatusPublisher publisher = new StatusPublisher(status(0, Role.Follower));
    CompletableFuture<ServerStatus> awaited = CompletableFuture.supplyAsync(() -> {
      try {
        return publisher.await(ServerStatus::isLeader, Duration.ofSeconds(30));
      } catch (InterruptedException | TimeoutException e) {
        throw new IllegalStateException(e);
      }
    });
    publisher.publish(status(1, Role.Candidate));
    publisher.publish(status(1, Role.Leader));
    assertEquals(Role.Leader, awaited.get(30, TimeUnit.SECONDS).role());
  }

  @Test
  void awaitGivesUpNamingTheLastStatus() {
    StatusPublisher publisher = new StatusPublisher(status(7, Role.Candidate));
    TimeoutException e = assertThrows(TimeoutException.class,
        () -> publisher.await(ServerStatus::isLeader, Duration.ofMillis(1)));
    assertTrue(e.getMessage().contains("Candidate, term 7"), e.getMessage());
  }

  @Test
  void aFailureReasonGoesWithStateFailedOnly() {
    assertThrows(IllegalArgumentException.class, () -> new ServerStatus(1, ServerStatus.State.FAILED, 0,
        Role.Follower, 0, 0, 0, 0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new ServerStatus(1, ServerStatus.State.RUNNING, 0,
        Role.Follower, 0, 0, 0, 0, 0, "why"));
  }
}
