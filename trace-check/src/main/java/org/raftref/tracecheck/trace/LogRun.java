package org.raftref.tracecheck.trace;

/**
 * A run of log entries of equal {@code term} ending at {@code lastIndex}; it starts right after the previous
 * run (or at index 1). A log is recorded as its runs, in order (docs/trace-format.md, "Post-state").
 */
public record LogRun(int term, int lastIndex) {}
