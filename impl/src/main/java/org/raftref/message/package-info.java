/**
 * The Raft RPCs and their replies, one record per message type, named and shaped as the messages of
 * {@code spec/Raft.tla} (see {@code docs/steps.md}). This package depends on nothing else in the project.
 */
package org.raftref.message;
