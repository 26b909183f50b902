package org.raftref.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.ProposeResult;
import org.raftref.core.RaftNode;
import org.raftref.core.Ready;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.runtime.trace.KnownDigests;
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.storage.Storage;
import org.raftref.storage.StorageException;
import org.raftref.trace.TraceAction;

/**
 * The body of a server's driver thread: the only thread that touches the {@link RaftNode}, the storage's
 * writes, the state machine and the trace. See docs/runtime.md ("The driver loop") for the loop and why its
 * order is the durability contract of {@link Ready}: a leader's AppendEntries early, then persist, advance,
 * send, apply.
 *
 * <h2>One round</h2>
 * <ol>
 *   <li>Wait for input until the next tick is due, then take <em>everything</em> queued (up to a bound).</li>
 *   <li>Step each message into the node ({@code step}), then propose all the round's commands in one
 *       step ({@code proposeAll}: one AppendEntries per peer for all of them).</li>
 *   <li>If a tick is due, {@code tick()} once. A driver that fell behind does not catch up missed ticks:
 *       a stalled disk then delays elections instead of causing them.</li>
 *   <li>While the node has a Ready: send its AppendEntries requests, write and fsync it (one sync for all
 *       of it), {@code advance}, send its other messages, apply its committed entries. Then publish the
 *       status, and hand the round's outcomes to the completion thread (in that order: a completed
 *       proposal's entry is in every later status).</li>
 * </ol>
 *
 * <h2>Group commit</h2>
 * The driver fsyncs on its own thread, so while one fsync runs, messages and proposals pile up in the
 * mailbox. The next round steps all of them before it asks for a Ready, and the node puts all of their
 * entries and the latest hard state into that one Ready: one write and one fsync for everything that
 * arrived during the previous fsync. The core forbids input between {@code ready()} and {@code advance()}
 * (advance means durable), so a second Ready cannot be staged while the first syncs; batching happens in
 * the mailbox instead, with the same effect.
 *
 * <p>Failure: a {@link StorageException} from a write or a sync (the storage refuses every call after a
 * failed fsync), an exception from the state machine, or a failed trace write ends the loop: the server
 * stops and never steps the node again (see {@code StorageFailedException} for why carrying on is unsafe).
 */
final class Driver implements Runnable {

  private static final System.Logger LOG = System.getLogger(Driver.class.getName());
  /** Inputs taken per round, so that one round's Ready (and its latency) stays bounded under a flood. */
  private static final int MAX_INPUTS_PER_ROUND = 4096;

  // Fixed before the thread starts (Thread.start is the happens-before edge); then driver-confined.
  private final int id;
  private final RaftNode node;
  private final Storage storage;
  private final org.raftref.transport.Transport transport;
  private final StateMachine stateMachine;
  private final TraceOutput trace;
  private final LamportClock clock;
  /** The trace records events: proposals and AppendEntries requests arrive with their commands' digests. */
  private final boolean traced;
  private final Mailbox<Input> mailbox;
  private final StatusPublisher status;
  private final ExecutorService completer;
  private final CompletableFuture<ServerStatus> terminated;
  private final long tickNanos;

  // Confined to the driver thread.
  private final PendingProposals pending = new PendingProposals();
  private final Completions completions = new Completions();
  private final List<Input> inputs = new ArrayList<>();
  private final List<Input.Proposal> proposals = new ArrayList<>();
  private ServerStatus published;
  private long syncs;

  /**
   * Written by a thread calling {@link RaftServer#crash()} before it closes the storage; read by the driver
   * when it stops, to tell a crash on purpose from a storage failure. Volatile: the write happens-before the
   * storage refuses the driver's next call (the storage's own lock orders them), so the driver sees it.
   */
  private volatile boolean crashRequested;

  Driver(int id, RaftNode node, Storage storage, org.raftref.transport.Transport transport,
      StateMachine stateMachine, TraceOutput trace, Mailbox<Input> mailbox, StatusPublisher status,
      ExecutorService completer, CompletableFuture<ServerStatus> terminated, long tickNanos) {
    this.id = id;
    this.node = node;
    this.storage = storage;
    this.transport = transport;
    this.stateMachine = stateMachine;
    this.trace = trace;
    this.clock = trace.clock();
    this.traced = trace.records();
    this.mailbox = mailbox;
    this.status = status;
    this.completer = completer;
    this.terminated = terminated;
    this.tickNanos = tickNanos;
    this.published = status.current();
  }

  void requestCrash() {
    crashRequested = true;
  }

  @Override
  public void run() {
    Throwable failure = null;
    try {
      if (trace.restarted()) {
        trace.sink().environmentStep(TraceAction.Restart, id, null); // thesis §3.8: back from durable state
      }
      loop();
    } catch (StorageException | RuntimeException | Error e) {
      failure = e;
    } catch (InterruptedException e) {
      failure = e;
      Thread.currentThread().interrupt();
    } finally {
      stop(failure);
    }
  }

  private void loop() throws StorageException, InterruptedException {
    long nextTick = System.nanoTime() + tickNanos;
    while (true) {
      inputs.clear();
      if (!mailbox.drainTo(inputs, MAX_INPUTS_PER_ROUND, nextTick)) {
        return; // closed: close() or crash()
      }
      for (Input input : inputs) {
        accept(input);
      }
      proposeRound();
      long now = System.nanoTime();
      if (now - nextTick >= 0) {
        node.tick();
        nextTick += tickNanos;
        if (now - nextTick >= 0) {
          nextTick = now + tickNanos; // fell behind: drop the missed ticks
        }
      }
      while (node.hasReady()) {
        handle(node.ready());
      }
      // Status first: a client whose proposal completed then sees a status that includes its entry.
      publish(ServerStatus.State.RUNNING, null);
      deliverCompletions();
    }
  }

  private void accept(Input input) {
    if (input instanceof Input.Received received) {
      clock.witness(received.clock());
      long[] digests = received.entryDigests();
      if (digests != null && received.message() instanceof AppendEntriesRequest request) {
        KnownDigests known = trace.knownDigests();
        known.clear();
        for (int k = 0; k < digests.length; k++) {
          known.add(request.entries().get(k).command(), digests[k]);
        }
      }
      node.step(received.message());
    } else if (input instanceof Input.Proposal proposal) {
      proposals.add(proposal);
    }
  }

  /**
   * Proposes the round's commands in one step ({@link RaftNode#proposeAll}), after its messages: one
   * AppendEntries per peer carries all of them. Stepping the messages first can only make proposals fail
   * sooner (a leader that learned of a higher term), never accept one a later message would have refused.
   */
  private void proposeRound() {
    if (proposals.isEmpty()) {
      return;
    }
    List<byte[]> commands = new ArrayList<>(proposals.size());
    KnownDigests known = trace.knownDigests();
    if (traced) {
      known.clear();
    }
    for (Input.Proposal proposal : proposals) {
      commands.add(proposal.command());
      if (traced) {
        known.add(proposal.command(), proposal.digest());
      }
    }
    ProposeResult result = node.proposeAll(commands);
    if (result instanceof ProposeResult.Accepted accepted) {
      long index = accepted.index();
      for (Input.Proposal proposal : proposals) {
        pending.register(index++, accepted.term(), proposal.future(), completions);
      }
    } else if (result instanceof ProposeResult.NotLeader notLeader) {
      for (Input.Proposal proposal : proposals) {
        completions.fail(proposal.future(), new NotLeaderException(id, notLeader.leaderHint(), notLeader.term()));
      }
    }
    proposals.clear();
  }

  /**
   * The contract of {@link Ready}: persist, advance, send, apply — with the AppendEntries requests a leader
   * may send before its own write (thesis §10.2.1) sent first, so that followers store and fsync the entries
   * while this node does.
   */
  private void handle(Ready ready) throws StorageException {
    boolean sentEarly = false;
    if (ready.mustPersist()) {
      for (Message message : ready.messages()) {
        if (Ready.mayLeaveBeforePersist(message)) {
          if (!sentEarly) {
            trace.flush(); // the AppendEntries event precedes, in the file, any event of a peer that receives it
            sentEarly = true;
          }
          transport.send(message, clock.now());
        }
      }
    }
    if (ready.mustPersist()) {
      long ticket = storage.write(ready);
      long durable = storage.sync();
      if (durable < ticket) {
        throw new IllegalStateException("storage sync() returned ticket " + durable + " below the write's " + ticket);
      }
      syncs++;
      if (!ready.entries().isEmpty()) {
        pending.logReplaced(ready.firstEntryIndex(), ready.entries(), completions);
      }
    }
    node.advance(ready);
    if (ready.mustPersist() || !ready.messages().isEmpty()) {
      // The Persist event reaches the file before any peer sees a message it released, and right after the
      // fsync it records, so that a killed process's trace ends close to its durable state.
      trace.flush();
    }
    if (!ready.messages().isEmpty()) {
      long time = clock.now();
      for (Message message : ready.messages()) {
        if (!(sentEarly && Ready.mayLeaveBeforePersist(message))) {
          transport.send(message, time); // best effort: a dropped message is a lost packet to Raft
        }
      }
    }
    long index = ready.firstCommittedIndex();
    for (LogEntry entry : ready.committedEntries()) {
      byte[] result = stateMachine.apply(index, entry.command());
      pending.applied(index, entry.term(), result, completions);
      index++;
    }
  }

  private void deliverCompletions() {
    if (!completions.isEmpty()) {
      completer.execute(completions.drain());
    }
  }

  private void publish(ServerStatus.State state, @Nullable String failure) {
    ServerStatus next = new ServerStatus(id, state, node.currentTerm(), node.role(), node.leaderId(),
        node.commitIndex(), node.appliedIndex(), node.lastLogIndex(), syncs, failure);
    if (!next.equals(published)) {
      published = next;
      status.publish(next);
    }
  }

  /** Ends the server: answers every waiting client, releases storage, transport and trace, publishes. */
  private void stop(@Nullable Throwable failure) {
    boolean crashed = crashRequested;
    Throwable problem = crashed ? null : failure; // after crash(), the storage refusing calls is the crash itself
    try {
      trace.close();
    } catch (RuntimeException e) {
      if (problem == null && !crashed) {
        problem = e;
      }
    }
    String why = problem == null ? null : oneLine(problem);
    ServerStoppedException stopped = new ServerStoppedException(why == null
        ? "node " + id + (crashed ? " crashed" : " stopped") + " before the proposal was applied"
        : "node " + id + " failed before the proposal was applied: " + why, problem);
    for (Input left : mailbox.close()) {
      if (left instanceof Input.Proposal proposal) {
        completions.fail(proposal.future(), stopped);
      }
    }
    pending.failAll(stopped, completions);
    deliverCompletions();
    completer.shutdown();
    transport.close();
    storage.close();
    if (problem != null) {
      LOG.log(System.Logger.Level.ERROR, "node " + id + " stopped: " + why, problem);
    }
    ServerStatus.State end = problem == null ? ServerStatus.State.STOPPED : ServerStatus.State.FAILED;
    ServerStatus last = new ServerStatus(id, end, node.currentTerm(), node.role(), node.leaderId(),
        node.commitIndex(), node.appliedIndex(), node.lastLogIndex(), syncs, why);
    published = last;
    status.publish(last);
    terminated.complete(last);
  }

  private static String oneLine(Throwable t) {
    String message = t.getMessage();
    String text = message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
