package org.raftref.kv;

import java.util.List;

/**
 * The verdict on a history, with one {@link KeyResult} per key.
 *
 * @param verdict {@link Verdict#NOT_LINEARIZABLE} if any key is; otherwise {@link Verdict#INCONCLUSIVE} if
 *     the search gave up on any key; otherwise {@link Verdict#LINEARIZABLE}
 */
record CheckResult(Verdict verdict, List<KeyResult> keys) {

  enum Verdict {
    /** An order exists (and {@link KeyResult#order} is one). */
    LINEARIZABLE,
    /** No order exists: the whole search space was explored. */
    NOT_LINEARIZABLE,
    /** The search used up its step budget before it could tell. Neither a pass nor a failure. */
    INCONCLUSIVE
  }

  /**
   * The verdict on the operations of one key.
   *
   * @param operations operations of this key the search considered (pending reads and rejected operations
   *     are left out, see {@link LinearizabilityChecker})
   * @param steps search steps used (one step = one attempt to place an operation next, or one backtrack)
   * @param order for a linearizable key, the operations in an order that explains every output; otherwise
   *     the longest prefix of an order that the search found
   * @param stuck for a non-linearizable key, the operation that could not be placed after {@code order}
   *     before it returned; otherwise null
   */
  record KeyResult(String key, Verdict verdict, int operations, long steps, List<Operation> order,
      @org.checkerframework.checker.nullness.qual.Nullable Operation stuck) {}

  boolean linearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  long totalSteps() {
    return keys.stream().mapToLong(KeyResult::steps).sum();
  }

  /** One paragraph a failing test can print: every key that is not linearizable or not decided. */
  String describe() {
    StringBuilder text = new StringBuilder(verdict + " (" + keys.size() + " keys, " + totalSteps() + " steps)");
    for (KeyResult key : keys) {
      if (key.verdict() == Verdict.NOT_LINEARIZABLE) {
        text.append("\n  key \"").append(key.key()).append("\": no order of its ").append(key.operations())
            .append(" operations explains every output. The longest order found (").append(key.order().size())
            .append(" operations) ends:");
        List<Operation> order = key.order();
        for (Operation op : order.subList(Math.max(0, order.size() - 5), order.size())) {
          text.append("\n    ").append(op);
        }
        text.append("\n  and then this operation cannot take effect before it returns:\n    ").append(key.stuck());
      } else if (key.verdict() == Verdict.INCONCLUSIVE) {
        text.append("\n  key \"").append(key.key()).append("\": gave up after ").append(key.steps())
            .append(" steps over ").append(key.operations()).append(" operations");
      }
    }
    return text.toString();
  }
}
