package org.raftref.core;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A random generator whose bounded draws are chosen by the test: every {@code nextInt(bound)} returns
 * {@code draw} (which must be below the bound) and records the bound. Any other kind of draw fails the test,
 * so a test using it also proves which draws the node makes.
 */
final class ScriptedRandom implements RandomGenerator {

  private final int draw;
  final List<Integer> bounds = new ArrayList<>();

  ScriptedRandom(int draw) {
    this.draw = draw;
  }

  @Override
  public int nextInt(int bound) {
    if (draw < 0 || draw >= bound) {
      throw new AssertionError("scripted draw " + draw + " is outside [0, " + bound + ")");
    }
    bounds.add(bound);
    return draw;
  }

  @Override
  public long nextLong() {
    throw new AssertionError("the node drew an unbounded long; the tests expect only nextInt(bound)");
  }
}
