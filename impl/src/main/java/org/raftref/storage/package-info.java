/**
 * Durable state of one node: its hard state (currentTerm, votedFor) and its log.
 *
 * <p>{@link org.raftref.storage.Storage} is what a driver (the runtime) uses: it stages writes, makes them
 * durable with {@link org.raftref.storage.Storage#sync()} (group commit: one fsync for everything staged),
 * and on start returns what survived with {@link org.raftref.storage.Storage#load()}.
 * {@link org.raftref.storage.FileStorage} keeps them in a directory (segmented log with a length and a
 * CRC32C on every record, atomically replaced hard-state file); {@link org.raftref.storage.MemoryStorage} is
 * the same contract in memory, for tests. File operations go through {@link org.raftref.storage.FileIo}, the
 * seam that fault-injection tests replace. The format and the recovery rules are in {@code docs/storage.md}.
 */
package org.raftref.storage;
