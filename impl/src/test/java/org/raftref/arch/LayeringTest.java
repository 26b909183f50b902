package org.raftref.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.raftref.arch.fixtures.Violations;
import org.raftref.core.RaftNode;
import org.raftref.message.Message;
import org.raftref.trace.TraceSink;

/**
 * The layering of DESIGN.md, checked on the compiled main classes: the core is a deterministic state machine
 * (no threads, no I/O, no clock, no randomness but the injected generator, no environment) that depends on
 * no project package but message and trace; message depends on no other project package; trace only on
 * message. Each rule is also run on a fixture class that breaks it, so a rule that matched nothing would
 * fail here rather than pass.
 */
class LayeringTest {

  private static final String CORE = "org.raftref.core";
  private static final String MESSAGE = "org.raftref.message";
  private static final String TRACE = "org.raftref.trace";
  private static final String FIXTURES = "org.raftref.arch.fixtures";

  /** Main code only: test classes (these rules' fixtures among them) are left out. */
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
      .importPackages("org.raftref");

  /** The fixtures, imported once (each import resolves dependencies from the class path, which is slow). */
  private static final JavaClasses FIXTURE_CLASSES = new ClassFileImporter().importPackages(FIXTURES);

  private static JavaClasses only(Class<?> fixture) {
    JavaClasses selected = FIXTURE_CLASSES.that(equivalentTo(fixture));
    assertEquals(1, selected.size(), fixture.getName());
    return selected;
  }

  // ---------------------------------------------------------------------------------------------------
  // The rules, each for a package, so that the same rule runs on the core and on the fixtures.

  static ArchRule noThreads(String pkg) {
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().dependOnClassesThat(resideInAPackage("java.util.concurrent..")
            .or(assignableTo(Thread.class)).or(type(ThreadGroup.class)).or(type(ThreadLocal.class)))
        .because("one driver thread owns a node; the core has no threads or concurrency of its own");
  }

  static ArchRule noIo(String pkg) {
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().dependOnClassesThat(resideInAnyPackage("java.io..", "java.nio..", "java.net.."))
        .because("the core hands everything to persist or send to its driver in a Ready");
  }

  private static final DescribedPredicate<JavaMethodCall> READS_JAVA_TIME_NOW = DescribedPredicate.describe(
      "a now() method of java.time",
      call -> call.getTargetOwner().getPackageName().startsWith("java.time") && call.getName().equals("now"));

  static ArchRule noClock(String pkg) {
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().callMethodWhere(READS_JAVA_TIME_NOW)
        .orShould().dependOnClassesThat(assignableTo(Clock.class).or(assignableTo(InstantSource.class)))
        .because("time in the core is a count of tick() calls");
  }

  static ArchRule noUnseededRandomness(String pkg) {
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().dependOnClassesThat(assignableTo(Random.class) // SecureRandom, ThreadLocalRandom too
            .or(type(SplittableRandom.class)).or(type(SecureRandom.class)).or(type(RandomGeneratorFactory.class)))
        .orShould().callMethod(Math.class, "random")
        .orShould().callMethod(StrictMath.class, "random")
        .orShould().callMethod(RandomGenerator.class, "getDefault")
        .orShould().callMethod(RandomGenerator.class, "of", String.class)
        .because("every random choice comes from the RandomGenerator the driver injects, so a seed replays a run");
  }

  static ArchRule noEnvironment(String pkg) {
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().callMethod(System.class, "getenv", String.class)
        .orShould().callMethod(System.class, "getenv")
        .orShould().callMethod(System.class, "getProperty", String.class)
        .orShould().callMethod(System.class, "getProperty", String.class, String.class)
        .because("a node's behaviour is a function of its configuration and inputs only");
  }

  /** Within org.raftref, classes of {@code pkg} depend only on {@code pkg} and the {@code allowed} packages. */
  static ArchRule projectDependencies(String pkg, String... allowed) {
    String[] own = Stream.concat(Stream.of(pkg), Stream.of(allowed)).map(p -> p + "..").toArray(String[]::new);
    return noClasses().that().resideInAPackage(pkg + "..")
        .should().dependOnClassesThat(resideInAPackage("org.raftref..").and(not(resideInAnyPackage(own))))
        .because("DESIGN.md: " + pkg + " may depend on " + (allowed.length == 0 ? "no other project package"
            : String.join(", ", allowed)) + " (never storage, transport, runtime, sim or kv)");
  }

  /** The core's rules, by name; each has a fixture below that breaks it. */
  private static final Map<String, Function<String, ArchRule>> CORE_RULES = Map.of(
      "threads", LayeringTest::noThreads,
      "io", LayeringTest::noIo,
      "clock", LayeringTest::noClock,
      "randomness", LayeringTest::noUnseededRandomness,
      "environment", LayeringTest::noEnvironment,
      "packages", pkg -> projectDependencies(pkg, MESSAGE, TRACE));

  // ---------------------------------------------------------------------------------------------------
  // The rules on the real code

  /** The import is not empty: each package holds the classes the rules are about. */
  @Test
  void theRulesSeeTheMainClasses() {
    assertTrue(MAIN.contain(RaftNode.class), "RaftNode imported");
    assertTrue(MAIN.contain(Message.class), "Message imported");
    assertTrue(MAIN.contain(TraceSink.class), "TraceSink imported");
    for (String pkg : List.of(CORE, MESSAGE, TRACE)) {
      long count = MAIN.stream().filter(c -> c.getPackageName().equals(pkg)).count();
      assertTrue(count >= 3, pkg + " has only " + count + " classes imported");
    }
    assertFalse(MAIN.contain(Violations.Clean.class), "test classes must not be imported");
  }

  @Test
  void coreUsesNoThreads() {
    noThreads(CORE).check(MAIN);
  }

  @Test
  void coreDoesNoIo() {
    noIo(CORE).check(MAIN);
  }

  @Test
  void coreReadsNoClock() {
    noClock(CORE).check(MAIN);
  }

  @Test
  void coreDrawsOnlyFromTheInjectedGenerator() {
    noUnseededRandomness(CORE).check(MAIN);
  }

  @Test
  void coreReadsNoEnvironment() {
    noEnvironment(CORE).check(MAIN);
  }

  @Test
  void coreDependsOnlyOnMessageAndTrace() {
    projectDependencies(CORE, MESSAGE, TRACE).check(MAIN);
  }

  @Test
  void messageDependsOnNoOtherProjectPackage() {
    projectDependencies(MESSAGE).check(MAIN);
  }

  @Test
  void traceDependsOnlyOnMessage() {
    projectDependencies(TRACE, MESSAGE).check(MAIN);
  }

  // ---------------------------------------------------------------------------------------------------
  // Positive controls: each rule catches a class that breaks it, and passes a class that does not.

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of("threads", Violations.StartsAThread.class),
        Arguments.of("threads", Violations.UsesAnExecutor.class),
        Arguments.of("threads", Violations.UsesAnAtomic.class),
        Arguments.of("io", Violations.ReadsAFile.class),
        Arguments.of("io", Violations.PrintsToStandardOut.class),
        Arguments.of("io", Violations.UsesNioFiles.class),
        Arguments.of("io", Violations.OpensASocket.class),
        Arguments.of("clock", Violations.ReadsCurrentTimeMillis.class),
        Arguments.of("clock", Violations.ReadsNanoTime.class),
        Arguments.of("clock", Violations.ReadsInstantNow.class),
        Arguments.of("clock", Violations.ReadsLocalDateTimeNow.class),
        Arguments.of("clock", Violations.TakesAClock.class),
        Arguments.of("randomness", Violations.UsesJavaUtilRandom.class),
        Arguments.of("randomness", Violations.UsesMathRandom.class),
        Arguments.of("randomness,threads", Violations.UsesThreadLocalRandom.class), // java.util.concurrent
        Arguments.of("randomness", Violations.UsesSecureRandom.class),
        Arguments.of("randomness", Violations.UsesSplittableRandom.class),
        Arguments.of("randomness", Violations.UsesTheDefaultRandomGenerator.class),
        Arguments.of("environment", Violations.ReadsTheEnvironment.class),
        Arguments.of("packages", Violations.UsesAnotherProjectPackage.class));
  }

  @ParameterizedTest(name = "{0} rule catches {1}")
  @MethodSource("violations")
  void eachRuleCatchesAClassThatBreaksIt(String rules, Class<?> violation) {
    JavaClasses imported = only(violation);
    for (String rule : rules.split(",")) {
      EvaluationResult result = CORE_RULES.get(rule).apply(FIXTURES).evaluate(imported);
      assertTrue(result.hasViolation(), rule + " rule missed " + violation.getSimpleName());
      assertTrue(result.getFailureReport().toString().contains(violation.getName()),
          result.getFailureReport().toString());
    }
  }

  /** Each fixture breaks only the rules it is listed under: no rule is so broad it catches anything. */
  @ParameterizedTest(name = "{1} breaks only the {0} rule")
  @MethodSource("violations")
  void eachFixtureBreaksOnlyItsOwnRules(String rules, Class<?> violation) {
    JavaClasses imported = only(violation);
    List<String> own = List.of(rules.split(","));
    for (Map.Entry<String, Function<String, ArchRule>> other : CORE_RULES.entrySet()) {
      if (!own.contains(other.getKey())) {
        EvaluationResult result = other.getValue().apply(FIXTURES).evaluate(imported);
        assertFalse(result.hasViolation(), other.getKey() + " rule also caught " + violation.getSimpleName()
            + ": " + result.getFailureReport());
      }
    }
  }

  @Test
  void aClassThatDrawsFromAnInjectedGeneratorBreaksNoRule() {
    JavaClasses imported = only(Violations.Clean.class);
    CORE_RULES.forEach((name, rule) -> assertFalse(rule.apply(FIXTURES).evaluate(imported).hasViolation(), name));
  }
}
