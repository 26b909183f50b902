package org.raftref.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A USAGE line carries {@link NodeUsage}'s counters in one order, both ways, and a phase is their change. */
class NodeUsageTest {

  private static final NodeUsage EARLIER = new NodeUsage(100, 2, 30, 4, 500, 6, 7, 80, 900);
  private static final NodeUsage LATER = new NodeUsage(1100, 12, 130, 14, 1500, 16, 17, 180, 1900);

  @Test
  void aUsageLineReadsBackAsTheCountersItWasWrittenFrom() {
    NodeLine line = NodeLine.parse(new NodeLine(NodeLine.USAGE, LATER.values()).text());
    assertNotNull(line);
    assertEquals(LATER, NodeUsage.of(line.values()));
  }

  @Test
  void aPhaseIsWhatEachCounterGrewBy() {
    assertEquals(new NodeUsage(1000, 10, 100, 10, 1000, 10, 10, 100, 1000), LATER.minus(EARLIER));
  }

  @Test
  void aUsageLineWithAnotherNumberOfCountersIsNotOne() {
    long[] shorter = Arrays.copyOf(LATER.values(), NodeUsage.COUNTERS - 1);
    assertNull(NodeLine.parse(new NodeLine(NodeLine.USAGE, shorter).text()));
    assertArrayEquals(new long[] {1100, 12, 130, 14, 1500, 16, 17, 180, 1900}, LATER.values());
  }
}
