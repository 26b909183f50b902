/**
 * The Raft protocol as a deterministic state machine: {@link org.raftref.core.RaftNode}.
 *
 * <p>No threads, no I/O, no clock, no randomness but the injected generator: time is a count of
 * {@code tick()} calls, and everything the node wants done outside itself (persist, send, apply) comes out of
 * it as a {@link org.raftref.core.Ready}. {@code docs/steps.md} lists the steps, each of which is one action
 * of {@code spec/Raft.tla} and one trace event. A layering test keeps it that way.
 */
package org.raftref.core;
