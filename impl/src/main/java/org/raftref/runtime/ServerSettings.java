package org.raftref.runtime;

import java.time.Duration;
import org.raftref.core.RaftConfig;

/**
 * How a {@link RaftServer} runs its node.
 *
 * @param raft the node's configuration; its election timeout and heartbeat interval are counted in ticks
 * @param tickPeriod the wall-clock length of one tick: the driver calls {@code tick()} once per period
 * @param maxCommandBytes the largest command {@link RaftServer#propose} accepts (it must fit a transport
 *     frame and the storage's entry limit)
 * @param mailboxCapacity inputs the driver's mailbox holds; a message that finds it full is dropped (Raft
 *     retries), a proposal fails with {@link ServerBusyException}
 * @param randomSeed seeds the node's election-timeout randomization (§5.2)
 */
public record ServerSettings(RaftConfig raft, Duration tickPeriod, int maxCommandBytes, int mailboxCapacity,
    long randomSeed) {

  /** 10 ms ticks. */
  public static final Duration DEFAULT_TICK = Duration.ofMillis(10);
  /** 20 ticks: each election timeout is drawn from [200 ms, 400 ms) (§5.2, §9.3: well above a round trip). */
  public static final int DEFAULT_ELECTION_TICKS = 20;
  /** 5 ticks: a heartbeat every 50 ms, a quarter of the shortest election timeout. */
  public static final int DEFAULT_HEARTBEAT_TICKS = 5;
  /** 1 MiB, far below the transport's 32 MiB frames and the file storage's 16 MiB entries. */
  public static final int DEFAULT_MAX_COMMAND_BYTES = 1 << 20;
  public static final int DEFAULT_MAILBOX_CAPACITY = 16_384;

  public ServerSettings {
    if (tickPeriod.isNegative() || tickPeriod.isZero()) {
      throw new IllegalArgumentException("the tick period must be positive, was " + tickPeriod);
    }
    if (maxCommandBytes < 1) {
      throw new IllegalArgumentException("maxCommandBytes must be at least 1, was " + maxCommandBytes);
    }
    if (mailboxCapacity < 1) {
      throw new IllegalArgumentException("mailboxCapacity must be at least 1, was " + mailboxCapacity);
    }
  }

  /** Defaults for node {@code raft.id()}, with the given seed. */
  public static ServerSettings defaults(RaftConfig raft, long randomSeed) {
    return new ServerSettings(raft, DEFAULT_TICK, DEFAULT_MAX_COMMAND_BYTES, DEFAULT_MAILBOX_CAPACITY, randomSeed);
  }

  /** A Raft configuration with the default timeouts for {@code id} in {@code members}. */
  public static RaftConfig defaultRaftConfig(int id, java.util.List<Integer> members) {
    RaftConfig base = RaftConfig.of(id, members);
    return new RaftConfig(id, members, DEFAULT_ELECTION_TICKS, DEFAULT_HEARTBEAT_TICKS,
        base.maxEntriesPerAppend(), base.maxBytesPerAppend());
  }
}
