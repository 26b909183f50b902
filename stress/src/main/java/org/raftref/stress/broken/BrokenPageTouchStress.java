package org.raftref.stress.broken;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * NEGATIVE CONTROL, deliberately broken: a page touch as a plain read of an int and a plain write of what was
 * read, instead of the compare-and-set of {@code org.raftref.runtime.trace.PageToucher.touch}. Same rule and
 * outcomes as {@code JournalPrefaultStress}; jcstress must report the FORBIDDEN outcome, which shows that that
 * test can catch a touch that loses the driver's record. Excluded from CI by its package; run it alone with
 * {@code -t BrokenPageTouchStress} (docs/concurrency.md).
 */
@JCStressTest
@Description("NEGATIVE CONTROL (expected to fail): the driver copies an 8-byte record in while a plain"
    + " read-and-write-back touches both of its ints; afterwards the window must hold the record.")
@Outcome(id = "72623859790382856", expect = ACCEPTABLE, desc = "The record as written (0x0102030405060708).")
@Outcome(expect = FORBIDDEN, desc = "The touch wrote back the 0 it read before the driver's store: a record lost.")
@State
public class BrokenPageTouchStress {

  private static final byte[] RECORD = {8, 7, 6, 5, 4, 3, 2, 1};

  private final ByteBuffer window = ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN);

  @Actor
  public void driver() {
    window.put(0, RECORD, 0, RECORD.length);
  }

  @Actor
  public void toucher() {
    window.putInt(0, window.getInt(0));
    window.putInt(4, window.getInt(4));
  }

  @Arbiter
  public void read(J_Result r) {
    r.r1 = window.getLong(0);
  }
}
