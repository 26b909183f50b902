package org.raftref.kv;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Checks the checker's positive answers independently of its search: the order it returns for each key must
 * hold every operation of that key that returned, respect real time, and explain every output.
 */
final class Witness {

  private Witness() {}

  /** Throws AssertionError naming the first thing wrong with {@code result}'s orders for {@code history}. */
  static void verify(CheckResult result, List<Operation> history) {
    Set<Integer> placed = new HashSet<>();
    for (CheckResult.KeyResult key : result.keys()) {
      List<Operation> order = key.order();
      @Nullable String state = KeyModel.initial();
      for (int i = 0; i < order.size(); i++) {
        Operation op = order.get(i);
        if (!op.input().key().equals(key.key())) {
          throw new AssertionError("the order of key " + key.key() + " holds " + op);
        }
        if (!placed.add(op.id())) {
          throw new AssertionError("the order holds " + op + " twice");
        }
        for (int j = 0; j < i; j++) {
          if (op.response() < order.get(j).invoke()) {
            throw new AssertionError(op + " returned before " + order.get(j) + " was invoked, but comes after it");
          }
        }
        KeyModel.Step step = KeyModel.step(state, op);
        if (!step.legal()) {
          throw new AssertionError(op + " does not fit state " + state + " in the order of key " + key.key());
        }
        state = step.after();
      }
    }
    for (Operation op : history) {
      boolean mustBePlaced = !op.pending() && !(op.output() instanceof KvResult.Rejected);
      if (mustBePlaced && !placed.contains(op.id())) {
        throw new AssertionError("no order holds " + op + ", which returned");
      }
    }
  }
}
