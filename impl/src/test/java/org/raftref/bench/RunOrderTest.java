package org.raftref.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** With {@code --trace both}, neither suite always runs first: the order alternates by repetition. */
class RunOrderTest {

  @Test
  void oddRepetitionsRunTheSuitesAsGivenAndEvenOnesReversed() {
    List<String> both = new java.util.ArrayList<>(List.of("raftref", "raftref_trace"));
    assertEquals(both, BenchCommand.runOrder(both, 1));
    assertEquals(List.of("raftref_trace", "raftref"), BenchCommand.runOrder(both, 2));
    assertEquals(both, BenchCommand.runOrder(both, 3));
    assertEquals(List.of("raftref"), BenchCommand.runOrder(List.of("raftref"), 2));
    assertEquals(List.of("raftref", "raftref_trace"), both, "the given list is not modified");
  }
}
