package org.raftref.trace;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.io.StringWriter;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * One {@link NdjsonSink} shared by two nodes driven by different threads (its Javadoc allows it; the runtime
 * gives each server its own sink, so this is the sink's own promise, not a path the server takes).
 */
@JCStressTest
@Description("Two threads write an event each into one sink: each event is one whole line, sequence numbers are 1"
    + " and 2 in file order, none is lost. Result: the event count, the number of lines after the header, and 1"
    + " if those lines are exactly a Restart of node 1 and one of node 2 (in either order) numbered 1 then 2.")
@Outcome(id = "2, 2, 1", expect = ACCEPTABLE, desc = "Both events, whole, numbered in file order.")
@Outcome(expect = FORBIDDEN, desc = "An event lost, two events interleaved in one line, or numbers out of file"
    + " order: the trace would not validate against the spec.")
@State
public class NdjsonSinkStress {

  private final StringWriter out = new StringWriter();
  private final NdjsonSink sink = new NdjsonSink(out, "stress", new TraceHeader(List.of(1, 2), 1, "stress"));

  @Actor
  public void node1() {
    sink.environmentStep(TraceAction.Restart, 1, null);
  }

  @Actor
  public void node2() {
    sink.environmentStep(TraceAction.Restart, 2, null);
  }

  @Arbiter
  public void check(III_Result r) {
    r.r1 = (int) sink.eventCount();
    sink.close();
    String[] lines = out.toString().split("\n");
    r.r2 = lines.length - 1;
    if (lines.length != 3) {
      r.r3 = 0;
      return;
    }
    String a = "{\"seq\":1,\"node\":1,\"action\":\"Restart\"}";
    String b = "{\"seq\":2,\"node\":2,\"action\":\"Restart\"}";
    String c = "{\"seq\":1,\"node\":2,\"action\":\"Restart\"}";
    String d = "{\"seq\":2,\"node\":1,\"action\":\"Restart\"}";
    boolean ok = (lines[1].equals(a) && lines[2].equals(b)) || (lines[1].equals(c) && lines[2].equals(d));
    r.r3 = ok ? 1 : 0;
  }
}
