/**
 * The deterministic simulator: a whole cluster of {@link org.raftref.core.RaftNode}s in one thread, in
 * virtual time, under network faults, crashes and restarts, with the safety invariants checked after every
 * step. One seed drives every random choice, so a seed replays a run exactly.
 */
package org.raftref.sim;
