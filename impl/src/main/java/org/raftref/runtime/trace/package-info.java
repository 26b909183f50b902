/**
 * Traces from real runs: each server process writes its own trace (docs/trace-format.md) and, next to it,
 * the Lamport time of every event ({@link org.raftref.runtime.trace.TraceOutput}); a restarted process
 * starts a new file. {@link org.raftref.runtime.trace.LamportMerge} merges all of a run's files into one
 * trace in an order consistent with causality, ready for {@code trace-check validate}. docs/runtime.md,
 * "Traces", explains the clock.
 */
package org.raftref.runtime.trace;
