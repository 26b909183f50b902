package org.raftref.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.raftref.message.AppendEntriesRequest;
import org.raftref.message.LogEntry;
import org.raftref.message.Message;
import org.raftref.message.RequestVoteRequest;

class InMemoryNetworkTest {

  @Test
  void messagesArriveAsCopiesThroughTheCodecAndAFilterDropsThem() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork(true);
    List<Message> atTwo = new ArrayList<>();
    List<Long> clocks = new ArrayList<>();
    try (Transport one = network.transport(1); Transport two = network.transport(2)) {
      one.start((m, clock) -> { });
      two.start((m, clock) -> {
        atTwo.add(m);
        clocks.add(clock);
      });
      Message request = new AppendEntriesRequest(1, 2, 1, 0, 0, List.of(new LogEntry(1, new byte[] {5})), 0);
      assertTrue(one.send(request, 17));
      assertEquals(List.of(request), atTwo);
      assertEquals(List.of(17L), clocks);
      assertNotSame(request, atTwo.get(0));

      network.setFilter(m -> m.to() != 2); // partition node 2 away
      assertFalse(one.send(new RequestVoteRequest(1, 2, 2, 0, 0)));
      assertFalse(one.send(new RequestVoteRequest(1, 3, 2, 0, 0)), "node 3 has no transport");
      assertEquals(new TransportStats(1, 2, 0, 0, 0, null), one.stats());
      assertEquals(1, two.stats().received());
    }
  }

  @Test
  void aClosedTransportNeitherSendsNorReceives() throws Exception {
    InMemoryNetwork network = new InMemoryNetwork(false);
    Transport one = network.transport(1);
    Transport two = network.transport(2);
    one.start((m, clock) -> { });
    two.start((m, clock) -> { });
    two.close();
    assertFalse(one.send(new RequestVoteRequest(1, 2, 1, 0, 0)));
    one.close();
    assertFalse(one.send(new RequestVoteRequest(1, 2, 1, 0, 0)));
  }
}
