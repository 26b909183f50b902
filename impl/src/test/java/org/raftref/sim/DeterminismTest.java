package org.raftref.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.TraceHeader;

/**
 * One seed, one run: the same seed gives a byte-identical trace (the real ndjson trace of every event) and
 * the same summary; another seed gives another run.
 */
class DeterminismTest {

  private record Recorded(byte[] trace, RunSummary summary) {}

  /** A 5-node run with every kind of fault for 20 s of virtual time, traced to memory. */
  private static Recorded run(long seed) {
    FaultSchedule schedule = RandomSchedules.generate(seed, 5, 20_000, FaultMix.ALL).schedule();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RunSummary summary;
    try (NdjsonSink sink = new NdjsonSink(bytes, "memory", new TraceHeader(List.of(1, 2, 3, 4, 5),
        SimParams.DEFAULTS.maxEntriesPerAppend(), "DeterminismTest seed " + seed))) {
      summary = ScheduledRun.run(seed, schedule, SimParams.DEFAULTS, sink);
    }
    return new Recorded(bytes.toByteArray(), summary);
  }

  @Test
  void theSameSeedGivesAByteIdenticalTraceAndSummary() {
    Recorded first = run(42);
    Recorded second = run(42);
    assertTrue(first.summary().passed(), () -> first.summary().verdictLine() + " (seed 42)");
    // A run with every fault kind must contain the events whose order a nondeterministic simulator would
    // most likely get wrong: crashes, drops and duplicates.
    String text = new String(first.trace(), StandardCharsets.UTF_8);
    for (String action : List.of("\"Restart\"", "\"DropMessage\"", "\"DuplicateMessage\"", "\"BecomeLeader\"")) {
      assertTrue(text.contains(action), "seed 42's trace has no " + action + " event");
    }
    assertTrue(first.summary().traceEvents() > 1_000, "too few events: " + first.summary().traceEvents());
    assertArrayEquals(first.trace(), second.trace(), "seed 42 gave two different traces");
    assertEquals(first.summary(), second.summary());
    assertEquals(first.summary().lines(), second.summary().lines());
  }

  @Test
  void anotherSeedGivesAnotherTrace() {
    Recorded a = run(42);
    Recorded b = run(43);
    assertFalse(java.util.Arrays.equals(a.trace(), b.trace()), "seeds 42 and 43 gave the same trace");
  }

  @Test
  void theSameSeedGeneratesTheSameScheduleAndAnotherSeedAnother() {
    List<String> rendered = new ArrayList<>();
    for (long seed : new long[] {7, 7, 8}) {
      rendered.add(RandomSchedules.generate(seed, 0, 30_000, FaultMix.ALL).schedule().render());
    }
    assertEquals(rendered.get(0), rendered.get(1));
    assertFalse(rendered.get(0).equals(rendered.get(2)), "seeds 7 and 8 generated the same schedule");
  }
}
