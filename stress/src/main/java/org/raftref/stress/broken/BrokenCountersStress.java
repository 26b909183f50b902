package org.raftref.stress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * NEGATIVE CONTROL, deliberately broken: the transport's rejected-frame count as a plain {@code long} with
 * {@code ++} instead of the {@code LongAdder} that {@code org.raftref.transport.Counters} uses. Same rule and
 * outcomes as {@code CountersStress.NoLostCount}; jcstress must report the FORBIDDEN outcome here, which shows
 * that the run and its settings can catch a broken handoff. Excluded from the CI run by its package
 * ({@code org.raftref.stress.broken}); run it alone with {@code -t BrokenCountersStress} (docs/concurrency.md).
 */
@JCStressTest
@Description("NEGATIVE CONTROL (expected to fail): two threads each count a rejected frame with a plain ++;"
    + " afterwards the count must be 2.")
@Outcome(id = "2", expect = ACCEPTABLE, desc = "Both rejections counted.")
@Outcome(expect = FORBIDDEN, desc = "A rejection was lost: the read-modify-write of the count is not atomic.")
@State
public class BrokenCountersStress {

  /** The broken variant: read, add, write, with nothing that makes the three one step. */
  private long rejected;

  private void countRejected() {
    rejected++;
  }

  @Actor
  public void reader1() {
    countRejected();
  }

  @Actor
  public void reader2() {
    countRejected();
  }

  @Arbiter
  public void stats(I_Result r) {
    r.r1 = (int) rejected;
  }
}
