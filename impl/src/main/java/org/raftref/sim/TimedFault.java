package org.raftref.sim;

/** A fault and the virtual time, in milliseconds from the start of the run, at which it happens. */
public record TimedFault(long atMillis, Fault fault) {

  public TimedFault {
    if (atMillis < 0) {
      throw new IllegalArgumentException("a fault's time must not be negative, was " + atMillis);
    }
  }

  /** {@code 1200:crash:3}: the time, then the fault's compact form. */
  public String render() {
    return atMillis + ":" + fault.render();
  }

  /** Reads the form written by {@link #render()}. */
  static TimedFault parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("'" + text + "' must be TIME:FAULT, e.g. 1200:crash:3");
    }
    long at;
    try {
      at = Long.parseLong(text.substring(0, colon));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text.substring(0, colon) + "' in '" + text
          + "' is not a time in milliseconds");
    }
    return new TimedFault(at, Fault.parse(text.substring(colon + 1)));
  }
}
