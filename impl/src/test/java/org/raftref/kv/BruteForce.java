package org.raftref.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The definition of linearizability run literally, for small histories only: try every subset of the
 * pending operations and every order of the chosen operations, and accept if one order respects real time
 * and, run on one map, explains every output. Exponential and factorial; a test oracle, not a checker.
 */
final class BruteForce {

  private BruteForce() {}

  static boolean linearizable(List<Operation> history) {
    List<Operation> returned = new ArrayList<>();
    List<Operation> pending = new ArrayList<>();
    for (Operation op : history) {
      if (op.output() instanceof KvResult.Rejected) {
        continue; // known to have had no effect
      }
      (op.pending() ? pending : returned).add(op);
    }
    for (int subset = 0; subset < (1 << pending.size()); subset++) {
      List<Operation> chosen = new ArrayList<>(returned);
      for (int j = 0; j < pending.size(); j++) {
        if ((subset & (1 << j)) != 0) {
          chosen.add(pending.get(j));
        }
      }
      if (someOrderWorks(new ArrayList<>(), chosen)) {
        return true;
      }
    }
    return false;
  }

  private static boolean someOrderWorks(List<Operation> prefix, List<Operation> rest) {
    if (rest.isEmpty()) {
      return explains(prefix);
    }
    for (int i = 0; i < rest.size(); i++) {
      Operation next = rest.get(i);
      boolean respectsRealTime = prefix.stream().noneMatch(earlier -> next.response() < earlier.invoke());
      if (respectsRealTime) {
        prefix.add(next);
        List<Operation> remaining = new ArrayList<>(rest);
        remaining.remove(i);
        if (someOrderWorks(prefix, remaining)) {
          return true;
        }
        prefix.remove(prefix.size() - 1);
      }
    }
    return false;
  }

  /** Whether running {@code order} on an empty map gives every recorded output. */
  private static boolean explains(List<Operation> order) {
    Map<String, String> map = new HashMap<>();
    for (Operation op : order) {
      String key = op.input().key();
      String before = map.get(key);
      KvResult actual;
      if (op.input() instanceof KvCommand.Get) {
        actual = before == null ? KvResult.NOT_FOUND : new KvResult.Value(before);
      } else {
        actual = KvResult.OK;
        if (op.input() instanceof KvCommand.Put put) {
          map.put(key, put.value());
        } else if (op.input() instanceof KvCommand.Append append) {
          map.merge(key, append.value(), String::concat);
        } else {
          map.remove(key);
        }
      }
      if (op.output() != null && !op.output().equals(actual)) {
        return false;
      }
    }
    return true;
  }
}
