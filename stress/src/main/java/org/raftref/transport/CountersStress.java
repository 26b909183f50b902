package org.raftref.transport;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/** A transport's {@link Counters}: every link, reader and sending thread updates them; any thread reads a snapshot. */
public final class CountersStress {

  private CountersStress() {}

  @JCStressTest
  @Description("Counts from several threads are never lost: two reader threads each reject a frame at once;"
      + " afterwards the snapshot counts both. Result: the rejected count.")
  @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both rejections counted.")
  @Outcome(expect = FORBIDDEN, desc = "A rejection was lost: the read-modify-write of the count is not atomic.")
  @State
  public static class NoLostCount {

    private final Counters counters = new Counters();

    @Actor
    public void reader1() {
      counters.rejected("frame too large");
    }

    @Actor
    public void reader2() {
      counters.rejected("bad checksum");
    }

    @Arbiter
    public void stats(I_Result r) {
      r.r1 = (int) counters.snapshot().rejected();
    }
  }

  @JCStressTest
  @Description("The reason is kept before the count moves: a snapshot that counts a rejection also has a reason"
      + " (the volatile write of the reason happens-before the count's update, which the snapshot reads before"
      + " the reason). Result: the rejected count, and 1 if the reason is there.")
  @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The snapshot came before the rejection.")
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The reason was written, the count not yet.")
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both seen.")
  @Outcome(expect = FORBIDDEN, desc = "A rejection counted without its reason: stats would report a rejected"
      + " frame and no lastRejection.")
  @State
  public static class ReasonBeforeCount {

    private final Counters counters = new Counters();

    @Actor
    public void reader() {
      counters.rejected("frame too large");
    }

    @Actor
    public void monitor(II_Result r) {
      TransportStats stats = counters.snapshot();
      r.r1 = (int) stats.rejected();
      r.r2 = stats.lastRejection() == null ? 0 : 1;
    }
  }
}
