package org.raftref.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.function.Executable;

/**
 * Invalid configuration fails when the configuration is built, with a message that names the parameter and
 * its value, so a node never starts with it. The "Bad input"; §5.2 (election timeout above the
 * heartbeat interval, "broadcastTime ≪ electionTimeout").
 */
class ConfigurationTest {

  private static List<Integer> withNull() {
    List<Integer> members = new ArrayList<>(List.of(1, 2));
    members.add(null);
    return members;
  }

  static Stream<Arguments> invalidConfigurations() {
    return Stream.of(
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(), 10, 1, 64, 1024),
            "members must name at least one node"),
        Arguments.of((Executable) () -> new RaftConfig(1, null, 10, 1, 64, 1024),
            "members must name at least one node"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 0, 2), 10, 1, 64, 1024),
            "members must be positive node ids, were [1, 0, 2]"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, -2), 10, 1, 64, 1024),
            "members must be positive node ids, were [1, -2]"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 2, 2), 10, 1, 64, 1024),
            "members must not repeat an id, were [1, 2, 2]"),
        Arguments.of((Executable) () -> new RaftConfig(4, List.of(1, 2, 3), 10, 1, 64, 1024),
            "id 4 is not one of members [1, 2, 3]"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 2, 3), 10, 0, 64, 1024),
            "heartbeatTicks must be at least 1, was 0"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 2, 3), 3, 3, 64, 1024),
            "electionTimeoutTicks (3) must be greater than heartbeatTicks (3)"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 2, 3), 0, 1, 64, 1024),
            "electionTimeoutTicks (0) must be greater than heartbeatTicks (1)"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 2, 3), 10, 1, 0, 1024),
            "maxEntriesPerAppend must be at least 1, was 0"),
        Arguments.of((Executable) () -> new RaftConfig(1, List.of(1, 2, 3), 10, 1, 64, 0),
            "maxBytesPerAppend must be at least 1, was 0"),
        Arguments.of((Executable) () -> RaftConfig.of(2, List.of(1, 3)),
            "id 2 is not one of members [1, 3]"),
        Arguments.of((Executable) () -> RaftConfig.of(1, List.of(1, 2)).forMember(5),
            "id 5 is not one of members [1, 2]"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidConfigurations")
  void anInvalidConfigurationFailsAtConstructionNamingTheParameter(Executable build, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertEquals(message, e.getMessage());
  }

  /**
   * Timeouts are drawn from [T, 2T) as ints: a T so large that 2T - 1 overflows would give negative timeouts
   * (an election on every tick), so it is refused.
   */
  @Test
  void anElectionTimeoutWhoseDoubleOverflowsIsRefused() {
    int tooLarge = Integer.MAX_VALUE / 2 + 2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RaftConfig(1, List.of(1), tooLarge, 1, 64, 1024));
    assertEquals("electionTimeoutTicks must be at most " + (Integer.MAX_VALUE / 2 + 1)
        + " (timeouts are drawn below twice it), was " + tooLarge, e.getMessage());
    new RaftConfig(1, List.of(1), Integer.MAX_VALUE / 2 + 1, 1, 64, 1024); // the largest allowed
  }

  /** A member list with a hole in it is refused with a message, not a bare NullPointerException. */
  @Test
  void aMemberListWithANullIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RaftConfig(1, withNull(), 10, 1, 64, 1024));
    assertEquals("members must not contain null, were [1, 2, null]", e.getMessage());
  }

  /** The defaults are valid and a quorum is a strict majority of all members. Reference: §5.2. */
  @Test
  void aQuorumIsAStrictMajority() {
    assertEquals(1, RaftConfig.of(1, List.of(1)).quorum());
    assertEquals(2, RaftConfig.of(1, List.of(1, 2)).quorum());
    assertEquals(2, RaftConfig.of(1, List.of(1, 2, 3)).quorum());
    assertEquals(3, RaftConfig.of(1, List.of(1, 2, 3, 4)).quorum());
    assertEquals(3, RaftConfig.of(1, List.of(1, 2, 3, 4, 5)).quorum());
  }
}
