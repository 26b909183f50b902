package org.raftref.sim.lab;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.raftref.trace.TraceSink;

/**
 * The ported lab scenarios, callable from outside this package with a trace sink attached: trace-check's CI
 * validation (org.raftref.tracecheck.ci) runs each scenario once and replays its trace through the spec.
 *
 * <p>A scenario is a {@link ParameterizedTest} method of {@link Lab2ATest}, {@link Lab2BTest} or
 * {@link Lab2CTest}, so a new scenario is picked up without being listed here. The scenario's body builds
 * its {@link LabCluster} itself; while {@link #run} runs it, that cluster's sink comes from the factory given
 * to {@code run} (a thread-local, so nothing changes for the lab tests themselves).
 */
public final class LabScenarios {

  /** The sink factory of the scenario running on this thread, or null outside {@link #run}. */
  private static final ThreadLocal<@Nullable IntFunction<TraceSink>> SINKS = new ThreadLocal<>();

  private static final List<Class<?>> LAB_TESTS = List.of(Lab2ATest.class, Lab2BTest.class, Lab2CTest.class);

  private LabScenarios() {}

  /** Every scenario as {@code Class#method} (for instance {@code Lab2ATest#initialElection}), in a fixed order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (Class<?> test : LAB_TESTS) {
      List<Method> methods = new ArrayList<>();
      for (Method m : test.getDeclaredMethods()) {
        if (m.isAnnotationPresent(ParameterizedTest.class)) {
          methods.add(m);
        }
      }
      methods.sort(Comparator.comparing(Method::getName));
      for (Method m : methods) {
        names.add(test.getSimpleName() + "#" + m.getName());
      }
    }
    return names;
  }

  /**
   * Runs scenario {@code name} with {@code seed}; every cluster it builds traces to
   * {@code sinkForServers.apply(servers)}. A failing scenario throws what the lab test would throw.
   */
  public static void run(String name, long seed, IntFunction<TraceSink> sinkForServers) throws Throwable {
    int hash = name.indexOf('#');
    Class<?> test = LAB_TESTS.stream()
        .filter(c -> hash > 0 && c.getSimpleName().equals(name.substring(0, hash)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no lab scenario '" + name + "'; scenarios: " + names()));
    Method method = test.getDeclaredMethod(name.substring(hash + 1), long.class);
    SINKS.set(sinkForServers);
    try {
      method.setAccessible(true);
      var constructor = test.getDeclaredConstructor();
      constructor.setAccessible(true);
      method.invoke(constructor.newInstance(), seed);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw cause != null ? cause : e;
    } finally {
      SINKS.remove();
    }
  }

  /** The sink for a cluster of {@code servers} built on this thread: the one {@link #run} was given, or none. */
  static TraceSink sinkFor(int servers) {
    IntFunction<TraceSink> sinks = SINKS.get();
    return sinks == null ? TraceSink.NONE : sinks.apply(servers);
  }
}
