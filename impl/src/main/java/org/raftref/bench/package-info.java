/**
 * {@code raftref bench}: the cluster benchmark of peerbench (../shared/peerbench), run on Raft Reference's
 * real runtime. {@link org.raftref.bench.BenchCommand} is the orchestrator: it starts three
 * {@link org.raftref.bench.BenchNode} JVMs per repetition, drives them through the phases of
 * {@link org.raftref.bench.ClusterRun} with a {@link org.raftref.runtime.client.PipelinedRaftClient}, and
 * prints the table of {@link org.raftref.bench.BenchResults}. docs/bench.md says what each number means.
 * Not part of the replicated store: nothing else depends on this package.
 */
package org.raftref.bench;
