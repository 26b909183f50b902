package org.raftref.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.raftref.core.RaftNode;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.runtime.trace.TraceOutput;
import org.raftref.storage.Storage;
import org.raftref.storage.StorageException;
import org.raftref.trace.ValueDigest;
import org.raftref.transport.Transport;

/**
 * One Raft server: a {@link RaftNode} driven by one thread over real storage and a real transport, with a
 * state machine and a client API.
 *
 * <h2>Implementation overview</h2>
 * The node, the storage's writes, the state machine and the trace belong to one <em>driver</em> thread
 * ({@link Driver}). Everything else reaches them through three small handoffs (docs/concurrency.md):
 * <ul>
 *   <li>the {@link Mailbox}: transport threads offer received messages, client threads offer proposals,
 *       the driver drains;</li>
 *   <li>the {@link StatusPublisher}: the driver publishes an immutable {@link ServerStatus} after each
 *       round; any thread reads it;</li>
 *   <li>the completion thread: the driver decides each proposal's outcome and hands a batch of them to a
 *       single-thread executor, which completes the futures, so that clients' dependent actions never run
 *       on the driver.</li>
 * </ul>
 *
 * <h2>Clients</h2>
 * {@link #propose} returns a future completed with the state machine's result for the command once its
 * entry is applied here; or failed with {@link NotLeaderException} (with the leader's id, if known),
 * {@link EntryOverwrittenException} (a later leader's entry took its index), {@link ServerBusyException}
 * or {@link ServerStoppedException}. Reads go through the log like writes (linearizable, thesis §6.4's
 * simplest way).
 */
public final class RaftServer implements AutoCloseable {

  private final int id;
  private final Mailbox<Input> mailbox;
  private final StatusPublisher status;
  private final Driver driver;
  private final Thread thread;
  private final CompletableFuture<ServerStatus> terminated = new CompletableFuture<>();
  private final Storage storage;
  private final Transport transport;
  private final int maxCommandBytes;
  /** The trace records events: client and transport threads digest commands for it ({@code KnownDigests}). */
  private final boolean traced;
  private final int mailboxCapacity;
  private final String recovery;
  /** Messages the mailbox refused (full); Raft retries them. Any thread increments. */
  private final LongAdder droppedMessages = new LongAdder();

  private RaftServer(ServerSettings settings, Storage storage, Transport transport, StateMachine stateMachine,
      TraceOutput trace, Storage.Recovery recovered) {
    this.id = settings.raft().id();
    this.storage = storage;
    this.transport = transport;
    this.maxCommandBytes = settings.maxCommandBytes();
    this.traced = trace.records();
    this.mailboxCapacity = settings.mailboxCapacity();
    this.recovery = recovered.describe();
    this.mailbox = new Mailbox<>(settings.mailboxCapacity());
    RaftNode node = RaftNode.restart(settings.raft(), recovered.state(), new SplittableRandom(settings.randomSeed()),
        trace.sink());
    this.status = new StatusPublisher(new ServerStatus(id, ServerStatus.State.RUNNING, node.currentTerm(),
        node.role(), node.leaderId(), node.commitIndex(), node.appliedIndex(), node.lastLogIndex(), 0, null));
    ExecutorService completer = Executors.newSingleThreadExecutor(r -> daemon(r, "raftref-" + id + "-completions"));
    this.driver = new Driver(id, node, storage, transport, stateMachine, trace, mailbox, status, completer,
        terminated, settings.tickPeriod().toNanos());
    this.thread = daemon(driver, "raftref-" + id + "-driver");
  }

  /**
   * Recovers the node from {@code storage}, starts the transport and the driver. Takes ownership of
   * {@code storage}, {@code transport} and {@code trace}: they are closed when the server stops, or at once
   * if it cannot start.
   *
   * @throws StorageException if the storage cannot be read or is corrupt (one line naming file and offset)
   * @throws IOException if the transport cannot start
   * @throws IllegalArgumentException if the transport or the durable state belong to another node
   */
  public static RaftServer start(ServerSettings settings, Storage storage, Transport transport,
      StateMachine stateMachine, TraceOutput trace) throws StorageException, IOException {
    RaftServer server;
    try {
      if (transport.localId() != settings.raft().id()) {
        throw new IllegalArgumentException("the transport is node " + transport.localId() + "'s, not node "
            + settings.raft().id() + "'s");
      }
      server = new RaftServer(settings, storage, transport, stateMachine, trace, storage.load());
      transport.start(server::receive);
    } catch (StorageException | IOException | RuntimeException e) {
      transport.close();
      storage.close();
      try {
        trace.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    server.thread.start();
    return server;
  }

  /**
   * The transport's handler: runs on transport threads, never blocks. A traced server digests the entries of
   * an AppendEntries request here, where their bytes were just decoded, rather than on the driver.
   */
  private void receive(Message message, long clock) {
    long[] digests = null;
    if (traced && message instanceof AppendEntriesRequest request && !request.entries().isEmpty()) {
      List<LogEntry> entries = request.entries();
      digests = new long[entries.size()];
      for (int k = 0; k < digests.length; k++) {
        digests[k] = ValueDigest.digest(entries.get(k).command());
      }
    }
    if (mailbox.offer(new Input.Received(message, clock, digests)) == Mailbox.Offer.FULL) {
      droppedMessages.increment();
    }
  }

  public int id() {
    return id;
  }

  /**
   * Proposes {@code command} (copied) to the replicated log. The future completes, on the server's
   * completion thread, with the state machine's result once the entry is applied on this server, or fails
   * with a {@link ProposalFailedException} (see the class comment), or with an
   * {@link IllegalArgumentException} if the command is larger than the settings allow. Thread-safe.
   */
  public CompletableFuture<byte[]> propose(byte[] command) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    if (command.length > maxCommandBytes) {
      future.completeExceptionally(new IllegalArgumentException("a command of " + command.length
          + " bytes is larger than the " + maxCommandBytes + " bytes a proposal may have"));
      return future;
    }
    byte[] copy = command.clone();
    long digest = traced ? ValueDigest.digest(copy) : 0; // here, while the copy is in this thread's cache
    switch (mailbox.offer(new Input.Proposal(copy, digest, future))) {
      case ACCEPTED:
        break;
      case FULL:
        future.completeExceptionally(new ServerBusyException(id, mailboxCapacity));
        break;
      case CLOSED:
      default:
        future.completeExceptionally(new ServerStoppedException("node " + id + " is stopped", null));
        break;
    }
    return future;
  }

  /** The status after the driver's latest round. Never blocks; any thread. */
  public ServerStatus status() {
    return status.current();
  }

  /** Waits until the status meets {@code condition} (see {@link StatusPublisher#await}). */
  public ServerStatus awaitStatus(Predicate<ServerStatus> condition, Duration timeout)
      throws InterruptedException, TimeoutException {
    return status.await(condition, timeout);
  }

  /** Completes with the final status once the server has stopped and released storage and transport. */
  public CompletableFuture<ServerStatus> terminated() {
    return terminated.copy();
  }

  /** What recovery found on start: {@link Storage.Recovery#describe()}. */
  public String recovery() {
    return recovery;
  }

  /** Messages dropped because the mailbox was full. */
  public long droppedMessages() {
    return droppedMessages.sum();
  }

  /**
   * Stops the server cleanly: refuses new input, lets the driver finish its round (a Ready being written is
   * made durable and advanced), fails the proposals still waiting with {@link ServerStoppedException},
   * closes transport, storage and trace, and returns once all that is done. Idempotent.
   */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops the server as a crash would, for tests: the transport and the storage are closed at once, under
   * the driver's feet. Staged writes not yet synced are dropped (as a crash drops them); a sync already
   * running completes first. The node takes no step after the storage refuses it. Waits until the driver
   * has ended.
   */
  public void crash() {
    driver.requestCrash();
    transport.close();
    storage.close();
    stop();
  }

  private void stop() {
    for (Input left : mailbox.close()) {
      if (left instanceof Input.Proposal proposal) {
        proposal.future().completeExceptionally(new ServerStoppedException("node " + id + " stopped", null));
      }
    }
    if (Thread.currentThread() == thread) {
      return; // called from the state machine: the driver ends after this round, nobody to wait for
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // finish stopping: the caller must not see a half-closed server
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }
}
