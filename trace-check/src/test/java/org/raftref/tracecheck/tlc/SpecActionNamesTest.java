package org.raftref.tracecheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.raftref.trace.TraceAction;

/**
 * docs/steps.md: one core step = one trace event = one TLA+ action with the same name. Every
 * {@link TraceAction} is an action of spec/Raft.tla, and Raft.tla's next-state relation uses exactly those.
 */
class SpecActionNamesTest {

  private static final Pattern APPLIED = Pattern.compile("\\b([A-Z]\\w*)\\(");

  @Test
  void everyTraceActionIsDefinedInRaftTlaAndTakenByItsNextStateRelation() throws IOException {
    String spec = Files.readString(TlcTestSupport.SPEC_DIR.resolve("Raft.tla"));
    Set<String> traceActions = new TreeSet<>();
    for (TraceAction action : TraceAction.values()) {
      traceActions.add(action.name());
      Pattern definition = Pattern.compile("(?m)^" + action.name() + "\\(");
      assertEquals(true, definition.matcher(spec).find(), "Raft.tla defines no action " + action.name());
    }
    String next = spec.substring(spec.indexOf("NodeNext =="), spec.indexOf("Next == NodeNext"));
    Set<String> taken = new TreeSet<>();
    Matcher m = APPLIED.matcher(next);
    while (m.find()) {
      taken.add(m.group(1));
    }
    taken.remove("BagToSet");
    assertEquals(traceActions, taken, "the actions NodeNext and EnvironmentNext take");
  }
}
