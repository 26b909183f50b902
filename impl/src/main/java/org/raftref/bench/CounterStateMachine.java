package org.raftref.bench;

import java.nio.ByteBuffer;
import org.raftref.runtime.StateMachine;

/**
 * The benchmark's state machine, the same as peerbench's: it counts the client commands applied and returns
 * the count as 8 bytes (big-endian). Its cost is negligible, so the benchmark measures the log, not the
 * application. The empty command (a new leader's no-op entry) is accepted and not counted.
 */
final class CounterStateMachine implements StateMachine {

  /** Client commands applied so far. Confined to the server's driver thread (StateMachine's contract). */
  private long applied;

  @Override
  public byte[] apply(long index, byte[] command) {
    if (command.length > 0) {
      applied++;
    }
    return ByteBuffer.allocate(Long.BYTES).putLong(applied).array();
  }
}
