package org.raftref.runtime.trace;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.nio.ByteBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.J_Result;

/**
 * The journal's page toucher ({@link PageToucher}) and the driver write the same mapped memory: the driver
 * copies a record in, the toucher compare-and-sets ints from 0 to 0 to take the page faults. A touch must
 * never undo a store of the driver's, however they interleave (the toucher lags the driver when it was
 * descheduled). A direct buffer stands for the mapping: the same stores, the same VarHandle.
 */
@JCStressTest
@Description("The driver copies an 8-byte record into the window while the toucher touches both of its ints;"
    + " afterwards the window holds the record. Result: the 8 bytes as a long.")
@Outcome(id = "72623859790382856", expect = ACCEPTABLE, desc = "The record as written (0x0102030405060708).")
@Outcome(expect = FORBIDDEN, desc = "A touch wrote back the 0 it read before the driver's store: a record lost.")
@State
public class JournalPrefaultStress {

  private static final byte[] RECORD = {8, 7, 6, 5, 4, 3, 2, 1}; // little-endian 0x0102030405060708

  private final ByteBuffer window = ByteBuffer.allocateDirect(16).order(JournalFormat.ORDER);

  @Actor
  public void driver() {
    window.put(0, RECORD, 0, RECORD.length);
  }

  @Actor
  public void toucher() {
    PageToucher.touch(window, 0);
    PageToucher.touch(window, 4);
  }

  @Arbiter
  public void read(J_Result r) {
    r.r1 = window.getLong(0);
  }
}
