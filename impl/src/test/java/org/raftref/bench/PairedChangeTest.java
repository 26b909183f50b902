package org.raftref.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tracing overhead per repetition compares the two suites of the same repetition, and only those. */
class PairedChangeTest {

  @Test
  void comparesEachRepetitionWithItsOwnPartner() {
    BenchResults results = new BenchResults();
    results.record("r", "b_tput_ops_per_s", 1, 100, "ops/s");
    results.record("r", "b_tput_ops_per_s", 2, 200, "ops/s");
    results.record("r", "b_tput_ops_per_s", 3, 50, "ops/s");
    results.record("r_trace", "b_tput_ops_per_s", 1, 95, "ops/s");
    results.record("r_trace", "b_tput_ops_per_s", 2, 210, "ops/s");
    results.record("r_trace", "b_tput_ops_per_s", 4, 70, "ops/s"); // rep 4 has no untraced partner

    Map<Integer, Double> changes = results.pairedChangePct("r", "r_trace", "b_tput_ops_per_s");

    assertEquals(2, changes.size(), changes.toString());
    assertEquals(-5.0, changes.get(1), 1e-9);
    assertEquals(5.0, changes.get(2), 1e-9);
  }
}
