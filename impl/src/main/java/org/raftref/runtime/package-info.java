/**
 * The runtime: {@link org.raftref.runtime.RaftServer} runs one {@link org.raftref.core.RaftNode} on one
 * driver thread over real storage and transport, applies committed entries to a
 * {@link org.raftref.runtime.StateMachine}, and answers clients through futures. This package is the only
 * place where threads share mutable state; docs/concurrency.md lists every such field and its guard.
 */
package org.raftref.runtime;
