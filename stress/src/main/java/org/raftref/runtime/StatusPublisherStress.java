package org.raftref.runtime;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;
import org.raftref.core.Role;

/** The published {@link ServerStatus} that client threads read while the driver publishes the next rounds. */
@JCStressTest
@Description("A client reads a whole snapshot of one round (term, leader and commit index together, never a mix"
    + " of two rounds) and never goes back: a second read returns the same round or a later one. The driver"
    + " publishes rounds 1 and 2 after the initial round 0; round n has term n, leader n and commit index 10n."
    + " Result: (term, leader, commit) of the first read, then of the second.")
@Outcome(id = "0, 0, 0, 0, 0, 0", expect = ACCEPTABLE, desc = "Both reads before any publish: round 0.")
@Outcome(id = "0, 0, 0, 1, 1, 10", expect = ACCEPTABLE, desc = "Round 0, then round 1.")
@Outcome(id = "0, 0, 0, 2, 2, 20", expect = ACCEPTABLE, desc = "Round 0, then round 2.")
@Outcome(id = "1, 1, 10, 1, 1, 10", expect = ACCEPTABLE, desc = "Round 1 twice.")
@Outcome(id = "1, 1, 10, 2, 2, 20", expect = ACCEPTABLE, desc = "Round 1, then round 2.")
@Outcome(id = "2, 2, 20, 2, 2, 20", expect = ACCEPTABLE, desc = "Round 2 twice.")
@Outcome(expect = FORBIDDEN, desc = "A torn snapshot (fields of two rounds) or a read that went back to an older"
    + " round: a client could act on a term with another term's leader, or see the commit index shrink.")
@State
public class StatusPublisherStress {

  private final StatusPublisher publisher = new StatusPublisher(round(0));

  private static ServerStatus round(int n) {
    return new ServerStatus(1, ServerStatus.State.RUNNING, n, n == 0 ? Role.Follower : Role.Leader, n, 10L * n,
        10L * n, 10L * n, n, null);
  }

  @Actor
  public void driver() {
    publisher.publish(round(1));
    publisher.publish(round(2));
  }

  @Actor
  public void client(IIIIII_Result r) {
    ServerStatus first = publisher.current();
    ServerStatus second = publisher.current();
    r.r1 = (int) first.term();
    r.r2 = first.leaderId();
    r.r3 = (int) first.commitIndex();
    r.r4 = (int) second.term();
    r.r5 = second.leaderId();
    r.r6 = (int) second.commitIndex();
  }
}
