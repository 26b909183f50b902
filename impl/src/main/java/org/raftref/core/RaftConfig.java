package org.raftref.core;

import java.util.Arrays;
import java.util.List;

/**
 * A node's configuration. Time is counted in ticks: the driver decides how long a tick is.
 *
 * @param id this node's id, a member
 * @param members every member's id (positive, distinct), this node included
 * @param electionTimeoutTicks the minimum election timeout; each timeout is drawn uniformly from
 *     [electionTimeoutTicks, 2 × electionTimeoutTicks) (§5.2)
 * @param heartbeatTicks how often a leader sends AppendEntries to every follower; must be below the
 *     election timeout, or followers would time out between heartbeats
 * @param maxEntriesPerAppend the most entries one AppendEntries carries
 * @param maxBytesPerAppend the most command bytes one AppendEntries carries (at least one entry is always
 *     sent, however large)
 */
public record RaftConfig(
    int id,
    List<Integer> members,
    int electionTimeoutTicks,
    int heartbeatTicks,
    int maxEntriesPerAppend,
    long maxBytesPerAppend) {

  /** Defaults: timeout 10 ticks, heartbeat every tick, 64 entries or 1 MiB per AppendEntries. */
  public static RaftConfig of(int id, List<Integer> members) {
    return new RaftConfig(id, members, 10, 1, 64, 1 << 20);
  }

  public RaftConfig {
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("members must name at least one node");
    }
    if (members.stream().anyMatch(m -> m == null)) { // List.copyOf would throw a bare NullPointerException
      throw new IllegalArgumentException("members must not contain null, were " + members);
    }
    members = List.copyOf(members);
    if (members.stream().anyMatch(m -> m <= 0)) {
      throw new IllegalArgumentException("members must be positive node ids, were " + members);
    }
    if (members.stream().distinct().count() != members.size()) {
      throw new IllegalArgumentException("members must not repeat an id, were " + members);
    }
    if (!members.contains(id)) {
      throw new IllegalArgumentException("id " + id + " is not one of members " + members);
    }
    if (heartbeatTicks < 1) {
      throw new IllegalArgumentException("heartbeatTicks must be at least 1, was " + heartbeatTicks);
    }
    if (electionTimeoutTicks <= heartbeatTicks) {
      throw new IllegalArgumentException("electionTimeoutTicks (" + electionTimeoutTicks
          + ") must be greater than heartbeatTicks (" + heartbeatTicks + ")");
    }
    if (electionTimeoutTicks > Integer.MAX_VALUE / 2 + 1) {
      // Timeouts are drawn from [T, 2T) as ints: 2T - 1 must not overflow.
      throw new IllegalArgumentException("electionTimeoutTicks must be at most " + (Integer.MAX_VALUE / 2 + 1)
          + " (timeouts are drawn below twice it), was " + electionTimeoutTicks);
    }
    if (maxEntriesPerAppend < 1) {
      throw new IllegalArgumentException("maxEntriesPerAppend must be at least 1, was " + maxEntriesPerAppend);
    }
    if (maxBytesPerAppend < 1) {
      throw new IllegalArgumentException("maxBytesPerAppend must be at least 1, was " + maxBytesPerAppend);
    }
  }

  /** The same configuration seen from member {@code otherId}. */
  public RaftConfig forMember(int otherId) {
    return new RaftConfig(otherId, members, electionTimeoutTicks, heartbeatTicks, maxEntriesPerAppend,
        maxBytesPerAppend);
  }

  /** Member ids in ascending order. */
  int[] sortedMembers() {
    int[] ids = members.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(ids);
    return ids;
  }

  /** The number of members whose agreement decides: a majority. */
  public int quorum() {
    return members.size() / 2 + 1;
  }
}
