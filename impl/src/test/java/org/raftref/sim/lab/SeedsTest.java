package org.raftref.sim.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which seeds the lab tests run, and how a failure finds its seed again. */
class SeedsTest {

  private String savedSeed;
  private String savedSeeds;

  @BeforeEach
  void save() {
    savedSeed = System.getProperty("raftref.seed");
    savedSeeds = System.getProperty("raftref.seeds");
    System.clearProperty("raftref.seed");
    System.clearProperty("raftref.seeds");
  }

  @AfterEach
  void restore() {
    restore("raftref.seed", savedSeed);
    restore("raftref.seeds", savedSeeds);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void countRunsSeedsOneToN() {
    System.setProperty("raftref.seeds", "3");
    assertArrayEquals(new long[] {1, 2, 3}, Seeds.seeds().toArray());
  }

  @Test
  void fiveSeedsWhenNothingIsSet() {
    assertArrayEquals(new long[] {1, 2, 3, 4, 5}, Seeds.seeds().toArray());
  }

  @Test
  void oneSeedOverridesTheCount() {
    System.setProperty("raftref.seeds", "100");
    System.setProperty("raftref.seed", "-42");
    assertArrayEquals(new long[] {-42}, Seeds.seeds().toArray());
  }

  @Test
  void badPropertiesAreNamedInTheError() {
    System.setProperty("raftref.seeds", "0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Seeds::seeds);
    assertTrue(e.getMessage().contains("raftref.seeds") && e.getMessage().contains("'0'"), e.getMessage());
    System.setProperty("raftref.seed", "x1");
    e = assertThrows(IllegalArgumentException.class, Seeds::seeds);
    assertTrue(e.getMessage().contains("raftref.seed ") && e.getMessage().contains("'x1'"), e.getMessage());
  }

  @Test
  void theSeedIsReadBackFromTheDisplayName() {
    // JUnit turns the argument into a string before it formats the name, so digits are never grouped.
    String name = MessageFormat.format(Seeds.DISPLAY_NAME, "9000000000");
    assertEquals(9_000_000_000L, Seeds.fromDisplayName(name));
    assertThrows(IllegalStateException.class, () -> Seeds.fromDisplayName("[1] 7"));
  }
}
