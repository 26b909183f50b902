package org.raftref.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Properties of {@link LinearizabilityChecker}: histories made linearizable by construction are accepted,
 * a mutation that makes one impossible is rejected, and on small random histories the checker agrees with a
 * brute-force search over every order.
 */
class LinearizabilityProperties {

  private static final LinearizabilityChecker CHECKER = new LinearizabilityChecker(1_000_000);
  private static final String[] KEYS = {"x", "y", "z"};

  /** What becomes of one generated operation. */
  enum Fate { RETURNED, PENDING_TOOK_EFFECT, PENDING_NO_EFFECT }

  /**
   * One generated operation: a kind (0 get, 1 put, 2 append, 3 delete), a key, and how far its interval
   * reaches before and after its linearization point, in slots of 10 time units.
   */
  record Spec(int kind, int key, int before, int after, Fate fate) {}

  /**
   * Up to 40 operations; an interval reaches at most 3 slots either side of its point, so at most 7 returned
   * operations overlap, and about one in ten operations is pending. Wider overlaps make a search over an
   * impossible history exponential in earnest (every order of concurrent appends is a different state), which
   * is a property of the problem, not something these properties are meant to probe.
   */
  @Provide
  Arbitrary<List<Spec>> specs() {
    Arbitrary<Fate> fates = Arbitraries.frequency(
        Tuple.of(18, Fate.RETURNED),
        Tuple.of(1, Fate.PENDING_TOOK_EFFECT),
        Tuple.of(1, Fate.PENDING_NO_EFFECT));
    return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3), fates)
        .as(Spec::new).list().ofMinSize(1).ofMaxSize(40);
  }

  /** A history from a sequential run, and the value each write left behind (for mutations). */
  record Generated(List<Operation> operations, Map<Integer, String> valueAfterWrite) {}

  /**
   * Runs the specs one at a time on a map: operation i takes effect at time 10i+5 (unless it is pending and
   * never takes effect), and its interval is stretched around that point. Values are unique per operation,
   * so a read shows which writes came before it.
   */
  static Generated generate(List<Spec> specs) {
    Map<String, String> map = new HashMap<>();
    Map<Integer, String> valueAfterWrite = new HashMap<>();
    List<Operation> operations = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      Spec spec = specs.get(i);
      String key = KEYS[spec.key()];
      KvCommand input = switch (spec.kind()) {
        case 0 -> new KvCommand.Get(key);
        case 1 -> new KvCommand.Put(key, "p" + i);
        case 2 -> new KvCommand.Append(key, "a" + i + ";");
        default -> new KvCommand.Delete(key);
      };
      KvResult output = KvResult.OK;
      if (spec.fate() != Fate.PENDING_NO_EFFECT) {
        if (input instanceof KvCommand.Get) {
          String value = map.get(key);
          output = value == null ? KvResult.NOT_FOUND : new KvResult.Value(value);
        } else if (input instanceof KvCommand.Put put) {
          map.put(key, put.value());
        } else if (input instanceof KvCommand.Append append) {
          map.merge(key, append.value(), String::concat);
        } else {
          map.remove(key);
        }
        if (spec.kind() == 1 || spec.kind() == 2) {
          valueAfterWrite.put(i, map.get(key));
        }
      }
      long point = 10L * i + 5;
      long invoke = point - 10L * spec.before();
      boolean pending = spec.fate() != Fate.RETURNED;
      operations.add(new Operation(i, i % 5, input, pending ? null : output, invoke,
          pending ? Operation.NEVER : point + 10L * spec.after(), ""));
    }
    return new Generated(operations, valueAfterWrite);
  }

  @Property
  void historiesOfASequentialRunAreAccepted(@ForAll("specs") List<Spec> specs) {
    List<Operation> history = generate(specs).operations();
    CheckResult result = CHECKER.check(history);
    assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), () -> result.describe() + "\n" + history);
    Witness.verify(result, history);
  }

  /**
   * Changes what one read returned into something no order can produce: a value nobody wrote, or (when
   * there is one) the value left by a write to the same key that was invoked only after the read returned.
   * Unique values make the second impossible too: that value contains the write's own token, which exists
   * only after the write.
   */
  @Property
  void aReadMadeImpossibleIsRejected(@ForAll("specs") List<Spec> specs, @ForAll int pickRead,
      @ForAll int pickWrite, @ForAll boolean fromTheFuture) {
    Generated generated = generate(specs);
    List<Operation> history = new ArrayList<>(generated.operations());
    List<Operation> reads = history.stream()
        .filter(op -> op.input() instanceof KvCommand.Get && !op.pending()).toList();
    if (reads.isEmpty()) {
      return; // nothing to mutate; jqwik generates plenty of histories with reads
    }
    Operation read = reads.get(Math.floorMod(pickRead, reads.size()));
    List<Operation> laterWrites = history.stream()
        .filter(op -> op.input().key().equals(read.input().key()) && op.invoke() > read.response()
            && generated.valueAfterWrite().containsKey(op.id()))
        .toList();
    KvResult impossible;
    String kind;
    if (fromTheFuture && !laterWrites.isEmpty()) {
      Operation write = laterWrites.get(Math.floorMod(pickWrite, laterWrites.size()));
      impossible = new KvResult.Value(generated.valueAfterWrite().get(write.id()));
      kind = "from the future";
    } else {
      impossible = new KvResult.Value("never written");
      kind = "never written";
    }
    Statistics.label("mutation").collect(kind);
    history.set(read.id(), new Operation(read.id(), read.client(), read.input(), impossible, read.invoke(),
        read.response(), "mutated"));
    CheckResult result = CHECKER.check(history);
    assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict(), () -> result.describe() + "\n" + history);
  }

  // ---------------------------------------------------------------------------------------------------
  // Differential: the checker against brute force

  /**
   * Small random histories whose reads return plausible values (some right, some wrong): the checker's
   * verdict must be what trying every order gives. This also checks the split by key, since the brute
   * force searches the whole history at once.
   */
  @Property(tries = 500)
  void agreesWithBruteForceOnSmallHistories(@ForAll long seed) {
    List<Operation> history = randomSmallHistory(new SplittableRandom(seed));
    boolean expected = BruteForce.linearizable(history);
    CheckResult result = CHECKER.check(history);
    Statistics.label("verdict").collect(result.verdict());
    Statistics.label("verdict").coverage(c -> {
      c.check(CheckResult.Verdict.LINEARIZABLE).percentage(p -> p > 20);
      c.check(CheckResult.Verdict.NOT_LINEARIZABLE).percentage(p -> p > 20);
    });
    assertEquals(expected ? CheckResult.Verdict.LINEARIZABLE : CheckResult.Verdict.NOT_LINEARIZABLE,
        result.verdict(), () -> "seed " + seed + ": " + result.describe() + "\n" + history);
    if (expected) {
      Witness.verify(result, history);
    }
  }

  private static List<Operation> randomSmallHistory(SplittableRandom random) {
    int n = 1 + random.nextInt(7);
    List<String> candidates = new ArrayList<>();
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = KEYS[random.nextInt(2)];
      KvCommand input = switch (random.nextInt(4)) {
        case 0, 1 -> new KvCommand.Get(key);
        case 2 -> new KvCommand.Put(key, "p" + i);
        default -> new KvCommand.Append(key, "a" + i + ";");
      };
      if (input instanceof KvCommand.Put put) {
        candidates.add(put.value());
      } else if (input instanceof KvCommand.Append append) {
        List<String> more = new ArrayList<>(List.of(append.value()));
        for (String c : candidates) {
          more.add(c + append.value());
          more.add(append.value() + c);
        }
        candidates.addAll(more);
      }
      long invoke = random.nextInt(30);
      boolean pending = random.nextInt(6) == 0;
      @Nullable KvResult output = null;
      if (!pending) {
        if (input instanceof KvCommand.Get) {
          output = candidates.isEmpty() || random.nextInt(3) == 0 ? KvResult.NOT_FOUND
              : new KvResult.Value(candidates.get(random.nextInt(candidates.size())));
        } else {
          output = KvResult.OK;
        }
      }
      history.add(new Operation(i, i, input, output, invoke,
          pending ? Operation.NEVER : invoke + random.nextInt(20), ""));
    }
    return history;
  }
}
