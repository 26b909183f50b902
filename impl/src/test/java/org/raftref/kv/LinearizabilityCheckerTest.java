package org.raftref.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-written histories with a known answer. Each non-linearizable one is a classic failure of a
 * replicated store; each linearizable one is close to a failure but has an order that explains it.
 * Times are abstract; operation A precedes B when A's response time is below B's invoke time.
 */
class LinearizabilityCheckerTest {

  private static final LinearizabilityChecker CHECKER = new LinearizabilityChecker(1_000_000);

  private static KvCommand put(String key, String value) {
    return new KvCommand.Put(key, value);
  }

  private static KvCommand append(String key, String value) {
    return new KvCommand.Append(key, value);
  }

  private static KvCommand get(String key) {
    return new KvCommand.Get(key);
  }

  private static KvCommand delete(String key) {
    return new KvCommand.Delete(key);
  }

  private static KvResult value(String value) {
    return new KvResult.Value(value);
  }

  private static final KvResult OK = KvResult.OK;
  private static final KvResult NOT_FOUND = KvResult.NOT_FOUND;

  private static CheckResult assertLinearizable(History history) {
    CheckResult result = CHECKER.check(history);
    assertEquals(CheckResult.Verdict.LINEARIZABLE, result.verdict(), result.describe());
    Witness.verify(result, history.operations());
    return result;
  }

  private static CheckResult assertNotLinearizable(History history) {
    CheckResult result = CHECKER.check(history);
    assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict(), result.describe());
    return result;
  }

  // ---------------------------------------------------------------------------------------------------
  // Rejected

  @Test
  void staleReadAfterAnOverwriteIsRejected() {
    // The second put finished before the read began, so the read must see it (a follower serving reads).
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(1, put("x", "2"), OK, 20, 30)
        .add(2, get("x"), value("1"), 40, 50));
  }

  @Test
  void lostWriteIsRejected() {
    // An acknowledged put that a later read does not see (a leader acknowledged before committing).
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(2, get("x"), NOT_FOUND, 20, 30));
  }

  @Test
  void lostAppendIsRejected() {
    assertNotLinearizable(new History()
        .add(1, append("x", "a"), OK, 0, 10)
        .add(1, append("x", "b"), OK, 20, 30)
        .add(2, get("x"), value("b"), 40, 50));
  }

  @Test
  void appendAppliedTwiceIsRejected() {
    // What a retried append without duplicate detection produces.
    assertNotLinearizable(new History()
        .add(1, append("x", "a;"), OK, 0, 10)
        .add(2, get("x"), value("a;a;"), 20, 30));
  }

  @Test
  void readOfAValueNeverWrittenIsRejected() {
    // Overlapping the put does not help: no order produces "7".
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(2, get("x"), value("7"), 5, 15));
  }

  @Test
  void valueThatDisappearsAfterBeingReadIsRejected() {
    // The put is still in flight, so the first read may see it; once seen, nothing can take it away.
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 100)
        .add(2, get("x"), value("1"), 10, 20)
        .add(2, get("x"), NOT_FOUND, 30, 40));
  }

  @Test
  void readFromTheFutureIsRejected() {
    assertNotLinearizable(new History()
        .add(1, get("x"), value("1"), 0, 10)
        .add(2, put("x", "1"), OK, 20, 30));
  }

  @Test
  void readersThatSeeTwoConcurrentWritesInOppositeOrdersAreRejected() {
    // Each write alone may go first, but not both: one order must explain both readers.
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 100)
        .add(2, put("x", "2"), OK, 0, 100)
        .add(3, get("x"), value("1"), 10, 20)
        .add(3, get("x"), value("2"), 30, 40)
        .add(4, get("x"), value("2"), 10, 20)
        .add(4, get("x"), value("1"), 30, 40));
  }

  @Test
  void pendingWriteCannotExplainAReadThatEndedBeforeItsInvocation() {
    assertNotLinearizable(new History()
        .add(1, get("x"), value("1"), 0, 10)
        .addPending(2, put("x", "1"), 20));
  }

  @Test
  void rejectedWriteHadNoEffect() {
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), new KvResult.Rejected("stale request"), 0, 10)
        .add(2, get("x"), value("1"), 20, 30));
  }

  @Test
  void writeThatAnswersAValueIsRejected() {
    assertNotLinearizable(new History().add(1, put("x", "1"), value("1"), 0, 10));
  }

  @Test
  void oneBadKeyFailsTheHistoryAndIsNamed() {
    CheckResult result = assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(1, put("y", "1"), OK, 0, 10)
        .add(2, get("x"), value("1"), 20, 30)
        .add(2, get("y"), NOT_FOUND, 20, 30));
    CheckResult.KeyResult y = result.keys().stream().filter(k -> k.key().equals("y")).findFirst().orElseThrow();
    assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, y.verdict());
    CheckResult.KeyResult x = result.keys().stream().filter(k -> k.key().equals("x")).findFirst().orElseThrow();
    assertEquals(CheckResult.Verdict.LINEARIZABLE, x.verdict());
    assertTrue(result.describe().contains("key \"y\""), result.describe());
  }

  @Test
  void reportNamesTheOperationThatCouldNotBePlaced() {
    CheckResult result = assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(1, put("x", "2"), OK, 20, 30)
        .add(2, get("x"), value("1"), 40, 50));
    CheckResult.KeyResult x = result.keys().get(0);
    assertEquals(2, x.order().size(), result.describe());
    assertEquals(2, java.util.Objects.requireNonNull(x.stuck()).id(), result.describe());
    assertTrue(result.describe().contains("get(\"x\") -> \"1\""), result.describe());
  }

  // ---------------------------------------------------------------------------------------------------
  // Accepted

  @Test
  void emptyHistoryIsLinearizable() {
    assertLinearizable(new History());
  }

  @Test
  void readConcurrentWithAWriteMaySeeEitherValue() {
    assertLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(1, put("x", "2"), OK, 20, 40)
        .add(2, get("x"), value("1"), 25, 30));
    assertLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(1, put("x", "2"), OK, 20, 40)
        .add(2, get("x"), value("2"), 25, 30));
  }

  @Test
  void concurrentAppendsMayLandInEitherOrder() {
    for (String seen : List.of("ab", "ba")) {
      assertLinearizable(new History()
          .add(1, append("x", "a"), OK, 0, 10)
          .add(2, append("x", "b"), OK, 0, 10)
          .add(3, get("x"), value(seen), 20, 30));
    }
  }

  @Test
  void readersAgreeingOnTheOrderOfTwoConcurrentWritesIsLinearizable() {
    assertLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 100)
        .add(2, put("x", "2"), OK, 0, 100)
        .add(3, get("x"), value("1"), 10, 20)
        .add(3, get("x"), value("2"), 30, 40)
        .add(4, get("x"), value("1"), 10, 20)
        .add(4, get("x"), value("2"), 30, 40));
  }

  @Test
  void intervalsThatTouchOverlap() {
    // The read begins at the instant the put returns: they are concurrent, and either order is allowed.
    assertLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(2, get("x"), NOT_FOUND, 10, 20));
    assertNotLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .add(2, get("x"), NOT_FOUND, 11, 20));
  }

  @Test
  void pendingWriteMayHaveTakenEffect() {
    assertLinearizable(new History()
        .addPending(1, put("x", "1"), 0)
        .add(2, get("x"), value("1"), 10, 20));
  }

  @Test
  void pendingWriteMayNeverHaveTakenEffect() {
    assertLinearizable(new History()
        .addPending(1, put("x", "1"), 0)
        .add(2, get("x"), NOT_FOUND, 10, 20)
        .add(2, get("x"), NOT_FOUND, 30, 40));
  }

  @Test
  void pendingWriteMayTakeEffectLongAfterItsClientGaveUp() {
    assertLinearizable(new History()
        .addPending(1, append("x", "a"), 0)
        .add(1, append("x", "b"), OK, 50, 60)
        .add(2, get("x"), value("b"), 70, 80)
        .add(2, get("x"), value("ba"), 90, 100));
  }

  @Test
  void pendingDeleteExplainsAValueThatDisappears() {
    assertLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 100)
        .add(2, get("x"), value("1"), 10, 20)
        .addPending(3, delete("x"), 25)
        .add(2, get("x"), NOT_FOUND, 30, 40));
  }

  @Test
  void pendingReadsConstrainNothing() {
    assertLinearizable(new History()
        .add(1, put("x", "1"), OK, 0, 10)
        .addPending(2, get("x"), 20)
        .add(2, get("x"), value("1"), 30, 40));
  }

  // ---------------------------------------------------------------------------------------------------
  // The step budget

  /** Ten concurrent puts, then a read of a value none of them wrote: the search must try every order. */
  private static History manyConcurrentWritesThenAnImpossibleRead() {
    History history = new History();
    for (int i = 0; i < 10; i++) {
      history.add(i, put("x", "v" + i), OK, 0, 100);
    }
    return history.add(99, get("x"), value("never written"), 200, 210);
  }

  @Test
  void searchThatRunsOutOfStepsIsInconclusiveNotAVerdict() {
    CheckResult result = new LinearizabilityChecker(100).check(manyConcurrentWritesThenAnImpossibleRead());
    assertEquals(CheckResult.Verdict.INCONCLUSIVE, result.verdict(), result.describe());
    assertEquals(100, result.totalSteps());
    assertTrue(result.describe().contains("gave up after 100 steps"), result.describe());
  }

  @Test
  void theSameSearchWithEnoughStepsDecides() {
    CheckResult result = CHECKER.check(manyConcurrentWritesThenAnImpossibleRead());
    assertEquals(CheckResult.Verdict.NOT_LINEARIZABLE, result.verdict(), result.describe());
    assertTrue(result.totalSteps() > 100, "the budget test above needs a search longer than its budget");
  }

  @Test
  void budgetMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinearizabilityChecker(0));
    assertEquals("the step budget must be at least 1, was 0", e.getMessage());
  }

  @Test
  void responseBeforeInvocationIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new History().add(1, put("x", "1"), OK, 10, 5));
    assertEquals("operation 0 responds at 5, before its invocation at 10", e.getMessage());
  }
}
