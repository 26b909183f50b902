package org.raftref.kv;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decides whether a key-value history is linearizable: whether some total order of its operations (1)
 * respects real time, placing A before B whenever A returned before B was invoked, and (2) explains every
 * output when the operations run one at a time in that order on a map that starts empty.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization, in the form porcupine uses (see
 * {@code docs/linearizability.md}):
 * <ol>
 *   <li><b>Split by key.</b> Every operation touches one key, and linearizability is local (Herlihy and
 *       Wing): a history is linearizable exactly when the sub-history of each key is. Each key is searched
 *       alone, which turns one search exponential in all operations into several small ones.
 *   <li><b>Events in time order.</b> Each operation becomes a call event and a return event, sorted by time
 *       (at equal times calls first, so touching intervals overlap), kept in a doubly linked list.
 *   <li><b>Depth-first search.</b> Walk the list. At a call whose operation the model accepts from the
 *       current state, linearize it: push it, remove its two events from the list, and restart from the
 *       head. At a call the model rejects, try the next event. Reaching a return event means that
 *       operation should have taken effect already and did not fit anywhere: backtrack (pop the last
 *       operation, put its events back, try the event after its call). The history is linearizable when
 *       the list empties, and is not when a return is reached with nothing to pop.
 *   <li><b>Memoization.</b> The set of operations linearized so far and the resulting state fix everything
 *       the rest of the search can do; a pair seen before is not explored again.
 * </ol>
 *
 * <p>Pending operations never return: their return events sort after every other event, so reaching one
 * means every operation that did return has been placed, and the search succeeds whatever the pending ones
 * did. Before that, a pending write may be placed anywhere after its call, with its output unconstrained.
 * Pending reads change nothing and constrain nothing, so they are left out. Operations that returned
 * {@link KvResult.Rejected} are known to have had no effect and are left out too.
 *
 * <p>The search is exponential in the worst case (the problem is NP-complete), so each key gets a budget of
 * steps; a key that uses it up makes the verdict {@link CheckResult.Verdict#INCONCLUSIVE} instead of hanging.
 */
final class LinearizabilityChecker {

  private final long maxStepsPerKey;

  LinearizabilityChecker(long maxStepsPerKey) {
    if (maxStepsPerKey < 1) {
      throw new IllegalArgumentException("the step budget must be at least 1, was " + maxStepsPerKey);
    }
    this.maxStepsPerKey = maxStepsPerKey;
  }

  CheckResult check(History history) {
    return check(history.operations());
  }

  CheckResult check(List<Operation> operations) {
    Map<String, List<Operation>> byKey = new LinkedHashMap<>();
    for (Operation op : operations) {
      boolean pendingRead = op.pending() && op.input() instanceof KvCommand.Get;
      boolean rejected = op.output() instanceof KvResult.Rejected;
      if (!pendingRead && !rejected) {
        byKey.computeIfAbsent(op.input().key(), k -> new ArrayList<>()).add(op);
      }
    }
    List<CheckResult.KeyResult> results = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
      results.add(new KeySearch(key.getKey(), key.getValue(), maxStepsPerKey).run());
    }
    CheckResult.Verdict verdict = CheckResult.Verdict.LINEARIZABLE;
    for (CheckResult.KeyResult result : results) {
      if (result.verdict() == CheckResult.Verdict.NOT_LINEARIZABLE) {
        verdict = CheckResult.Verdict.NOT_LINEARIZABLE;
        break;
      }
      if (result.verdict() == CheckResult.Verdict.INCONCLUSIVE) {
        verdict = CheckResult.Verdict.INCONCLUSIVE;
      }
    }
    return new CheckResult(verdict, List.copyOf(results));
  }

  /** The search over the operations of one key. */
  private static final class KeySearch {

    /** The end of the list. */
    private static final int END = -1;

    private final String key;
    private final List<Operation> ops;
    private final long maxSteps;

    // The events, sorted. Event e belongs to operation opOf[e]; a call's return event is match[e].
    private final int[] opOf;
    private final boolean[] isCall;
    private final int[] match;
    // The doubly linked list of events not yet removed; index head is a sentinel before the first event.
    private final int head;
    private final int[] next;
    private final int[] prev;

    /** A linearized operation: its call event and the state before it, to restore on backtrack. */
    private record Frame(int call, @Nullable String before) {}

    /** A memoized point of the search: which operations are linearized, and the state they produce. */
    private record Seen(BitSet linearized, @Nullable String state) {}

    KeySearch(String key, List<Operation> ops, long maxSteps) {
      this.key = key;
      this.ops = ops;
      this.maxSteps = maxSteps;
      int n = ops.size();
      Integer[] order = new Integer[2 * n];
      for (int e = 0; e < 2 * n; e++) {
        order[e] = e; // event 2i is operation i's call, 2i+1 its return
      }
      Arrays.sort(order, Comparator.<Integer>comparingLong(e -> time(e)).thenComparingInt(e -> e % 2));
      opOf = new int[2 * n];
      isCall = new boolean[2 * n];
      match = new int[2 * n];
      int[] position = new int[2 * n];
      for (int p = 0; p < 2 * n; p++) {
        opOf[p] = order[p] / 2;
        isCall[p] = order[p] % 2 == 0;
        position[order[p]] = p;
      }
      for (int i = 0; i < n; i++) {
        match[position[2 * i]] = position[2 * i + 1];
      }
      head = 2 * n;
      next = new int[2 * n + 1];
      prev = new int[2 * n + 1];
      next[head] = n == 0 ? END : 0;
      for (int p = 0; p < 2 * n; p++) {
        prev[p] = p == 0 ? head : p - 1;
        next[p] = p == 2 * n - 1 ? END : p + 1;
      }
    }

    private long time(int event) {
      Operation op = ops.get(event / 2);
      return event % 2 == 0 ? op.invoke() : op.response();
    }

    CheckResult.KeyResult run() {
      Deque<Frame> stack = new ArrayDeque<>();
      Set<Seen> seen = new HashSet<>();
      BitSet linearized = new BitSet(ops.size());
      @Nullable String state = KeyModel.initial();
      List<Operation> deepest = List.of();
      @Nullable Operation stuck = null;
      long steps = 0;
      int event = next[head];
      while (event != END) {
        if (++steps > maxSteps) {
          return result(CheckResult.Verdict.INCONCLUSIVE, steps - 1, order(stack), null);
        }
        Operation op = ops.get(opOf[event]);
        if (isCall[event]) {
          KeyModel.Step step = KeyModel.step(state, op);
          if (step.legal()) {
            BitSet after = (BitSet) linearized.clone();
            after.set(opOf[event]);
            if (seen.add(new Seen(after, step.after()))) {
              stack.push(new Frame(event, state));
              state = step.after();
              linearized = after;
              lift(event);
              event = next[head];
              continue;
            }
          }
          event = next[event];
        } else if (op.pending()) {
          break; // every operation that returned is placed; pending ones may or may not have happened
        } else {
          // op returned before anything could place it after the current prefix: backtrack.
          if (stuck == null || stack.size() > deepest.size()) {
            deepest = order(stack);
            stuck = op;
          }
          if (stack.isEmpty()) {
            return result(CheckResult.Verdict.NOT_LINEARIZABLE, steps, deepest, stuck);
          }
          Frame top = stack.pop();
          state = top.before();
          linearized = (BitSet) linearized.clone();
          linearized.clear(opOf[top.call()]);
          unlift(top.call());
          event = next[top.call()];
        }
      }
      return result(CheckResult.Verdict.LINEARIZABLE, steps, order(stack), null);
    }

    private CheckResult.KeyResult result(CheckResult.Verdict verdict, long steps, List<Operation> order,
        @Nullable Operation stuck) {
      return new CheckResult.KeyResult(key, verdict, ops.size(), steps, order, stuck);
    }

    /** The operations on the stack, first linearized first. */
    private List<Operation> order(Deque<Frame> stack) {
      List<Operation> order = new ArrayList<>(stack.size());
      stack.descendingIterator().forEachRemaining(f -> order.add(ops.get(opOf[f.call()])));
      return order;
    }

    /** Removes a call event and its return event from the list. */
    private void lift(int call) {
      unlink(call);
      unlink(match[call]);
    }

    /** Puts back what {@link #lift} removed; undone in the reverse order, as dancing links require. */
    private void unlift(int call) {
      relink(match[call]);
      relink(call);
    }

    private void unlink(int e) {
      next[prev[e]] = next[e];
      if (next[e] != END) {
        prev[next[e]] = prev[e];
      }
    }

    private void relink(int e) {
      next[prev[e]] = e;
      if (next[e] != END) {
        prev[next[e]] = e;
      }
    }
  }
}
