package org.raftref.tracecheck.trace;

/**
 * One log entry as a trace records it: its term and the digest of its command ({@code ""} for the no-op a
 * new leader appends; see "Values" in docs/trace-format.md).
 */
public record TracedEntry(int term, String value) {}
