package org.raftref.tracecheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Step labels of TLC's error traces resolve to the spec's action names. */
class ActionNamesTest {

  @TempDir
  Path dir;

  @Test
  void labelNamingAnActionIsThatAction() {
    ActionNames names = new ActionNames(dir);

    assertEquals("Persist", names.actionOf("<Persist line 340, col 5 to line 351, col 70 of module Raft>"));
  }

  @Test
  void labelOfAWrapperIsResolvedAtItsPositionInTheModule() throws IOException {
    Files.writeString(dir.resolve("MCRaft.tla"), String.join("\n",
        "MCNext ==",
        "    \\/ \\E i \\in Server : Timeout(i) /\\ UNCHANGED faultVars",
        "    \\/ \\E m \\in BagToSet(network) : UpdateTerm(m.mdest, m.msource, m) /\\ UNCHANGED faultVars",
        ""));
    ActionNames names = new ActionNames(dir);

    assertEquals("Timeout", names.actionOf("<MCNext line 2, col 26 to line 2, col 58 of module MCRaft>"));
    assertEquals("UpdateTerm", names.actionOf("<MCNext line 3, col 8 to line 3, col 90 of module MCRaft>"));
  }

  @Test
  void initialStateStutteringAndUnreadablePositionsHaveNoAction() {
    ActionNames names = new ActionNames(dir);

    assertNull(names.actionOf("<Initial predicate>"));
    assertNull(names.actionOf("Stuttering"));
    assertNull(names.actionOf("<MCNext line 2, col 26 to line 2, col 58 of module Missing>"));
  }
}
