package org.raftref.sim;

/** A safety invariant failed in a simulated run. Carries the invariant's name as the paper spells it. */
public final class InvariantViolation extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String invariant;

  public InvariantViolation(String invariant, String detail) {
    super(invariant + " violated: " + detail);
    this.invariant = invariant;
  }

  /** The invariant's name, e.g. {@code ElectionSafety}. */
  public String invariant() {
    return invariant;
  }
}
