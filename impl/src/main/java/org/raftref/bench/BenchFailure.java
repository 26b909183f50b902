package org.raftref.bench;

/** A repetition of the benchmark could not finish; the message is one line saying why. */
final class BenchFailure extends Exception {

  private static final long serialVersionUID = 1L;

  BenchFailure(String message) {
    super(message);
  }
}
