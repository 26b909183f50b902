/**
 * A small replicated key-value store: {@link org.raftref.kv.KvStateMachine} behind the runtime's
 * {@link org.raftref.runtime.StateMachine} interface, the request and result types, and their compact
 * versioned binary form. Requests carry a client id and a sequence number so that a retried request is
 * applied at most once. {@code docs/linearizability.md} describes how histories of this store are checked.
 */
package org.raftref.kv;
