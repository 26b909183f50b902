/**
 * Tracing: the {@link org.raftref.trace.TraceSink} every core step reports to, the names of the steps
 * ({@link org.raftref.trace.TraceAction}, the spec's action names) and the read-only view of a node's state
 * that a sink may record. Depends only on {@code org.raftref.message}.
 */
package org.raftref.trace;
