/**
 * The Raft tests of the MIT 6.824 lab (2023: parts 2A, 2B, 2C), ported to the deterministic simulator.
 *
 * <p>{@link org.raftref.sim.lab.LabCluster} plays the lab's {@code config.go}; {@code Lab2ATest},
 * {@code Lab2BTest} and {@code Lab2CTest} hold one test per lab test, with the lab's cluster sizes, fault
 * patterns, waits and pass conditions. Every test runs once per seed ({@link org.raftref.sim.lab.Seeds});
 * a failure names its seed and the command that replays it ({@link org.raftref.sim.lab.ReplayOnFailure}).
 *
 * <p>Where the port departs from the lab, and why:
 * <ul>
 *   <li><b>Virtual time.</b> Every {@code time.Sleep} and timeout is virtual; ticks are 50 ms, heartbeats
 *       every 100 ms (the lab's limit of 10 per second), election timeouts 300–600 ms. The lab's
 *       RaftElectionTimeout stays 1 s.</li>
 *   <li><b>Goroutines.</b> Concurrent clients (background {@code one()} calls, the three churn clients) are
 *       {@link org.raftref.sim.lab.LogicalClient}s run one at a time in virtual-time order; ConcurrentStarts'
 *       five {@code Start} calls happen at one instant in a seeded random order.</li>
 *   <li><b>Command indexes.</b> This project's leaders append a no-op entry when elected (thesis §6.4), so
 *       log indexes exceed the lab's by the number of no-ops before them. Every index the tests return or
 *       check counts client commands only, which is exactly what the lab's index counts.</li>
 *   <li><b>Servers</b> are numbered 1..n, and {@code (i + k) % n} becomes {@link
 *       org.raftref.sim.lab.LabCluster#after}.</li>
 *   <li><b>RPC counts and bytes</b> are requests delivered (RequestVote and AppendEntries): the simulator's
 *       messages are one-way, and a request and its reply are one lab RPC. Bytes are the simulator's wire-size
 *       estimate: 48 per message, 12 per entry, plus the commands.</li>
 *   <li><b>Crashed servers</b> are skipped where the lab's Go would read a nil Raft ({@code wait}'s term
 *       check); {@code crash1} cuts a server off, and {@code start1} leaves it cut off until
 *       {@code connect}, as in the lab.</li>
 *   <li><b>Bounds</b> the lab leaves to its 120 s test timeout are explicit: waiting for UnreliableAgree's
 *       background calls (60 s) and for the churn clients to stop (10 s).</li>
 * </ul>
 */
package org.raftref.sim.lab;
