package org.raftref.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.AppendEntriesResponse;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;
import org.raftref.message.RequestVoteResponse;

/** Well-formed messages of every type, drawn from a seeded source, extreme values included. */
final class Messages {

  private Messages() {}

  static Arbitrary<Message> any() {
    return Arbitraries.oneOf(requestVoteRequests(), requestVoteResponses(), appendEntriesRequests(),
        appendEntriesResponses());
  }

  static Arbitrary<Message> requestVoteRequests() {
    return Arbitraries.randomValue(Messages::requestVoteRequest);
  }

  static Arbitrary<Message> requestVoteResponses() {
    return Arbitraries.randomValue(r -> new RequestVoteResponse(id(r), id(r), term(r), r.nextBoolean()));
  }

  static Arbitrary<Message> appendEntriesRequests() {
    return Arbitraries.randomValue(Messages::appendEntriesRequest);
  }

  static Arbitrary<Message> appendEntriesResponses() {
    return Arbitraries.randomValue(r -> new AppendEntriesResponse(id(r), id(r), term(r), r.nextBoolean(),
        count(r), count(r), count(r)));
  }

  static Message requestVoteRequest(Random r) {
    long term = term(r);
    long lastLogTerm = term == 0 ? 0 : below(r, term);
    long lastLogIndex = lastLogTerm == 0 ? 0 : 1 + count(r) / 2;
    return new RequestVoteRequest(id(r), id(r), term, lastLogTerm, lastLogIndex);
  }

  static Message appendEntriesRequest(Random r) {
    long term = Math.max(1, term(r));
    long prevLogTerm = r.nextInt(4) == 0 ? 0 : below(r, term);
    long prevLogIndex = prevLogTerm == 0 ? 0 : 1 + count(r) / 2;
    List<LogEntry> entries = new ArrayList<>();
    int n = r.nextInt(4) == 0 ? 0 : r.nextInt(12);
    long entryTerm = Math.max(1, prevLogTerm);
    for (int i = 0; i < n; i++) {
      entryTerm = entryTerm + (r.nextInt(5) == 0 && entryTerm < term ? 1 : 0);
      byte[] command = new byte[r.nextInt(5) == 0 ? r.nextInt(2000) : r.nextInt(40)];
      r.nextBytes(command);
      entries.add(new LogEntry(entryTerm, command));
    }
    return new AppendEntriesRequest(id(r), id(r), term, prevLogIndex, prevLogTerm, entries, count(r));
  }

  private static int id(Random r) {
    return r.nextInt(10) == 0 ? Integer.MAX_VALUE : 1 + r.nextInt(7);
  }

  private static long term(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return 0;
      case 1:
        return Long.MAX_VALUE;
      default:
        return 1 + r.nextInt(1000);
    }
  }

  private static long count(Random r) {
    return r.nextInt(8) == 0 ? Long.MAX_VALUE : r.nextInt(8) == 0 ? 0 : r.nextInt(1_000_000);
  }

  /** A value in 1..max. */
  private static long below(Random r, long max) {
    return 1 + Math.floorMod(r.nextLong(), max);
  }
}
