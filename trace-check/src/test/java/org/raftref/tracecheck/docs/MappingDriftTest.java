package org.raftref.tracecheck.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.raftref.trace.TraceAction;

/**
 * Keeps docs/mapping.md true: every step exists on every side (spec action, trace event, Java method, tests),
 * and nothing exists on one side only. Reads the table, {@code spec/Raft.tla} and the classes themselves.
 */
class MappingDriftTest {

  /** One row of the table. */
  private record Row(String paper, String specAction, String javaMethod, String traceEvent, List<String> tests) {}

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static Map<String, Row> rows;
  private static String raftTla;

  @BeforeAll
  static void read() throws IOException {
    Path spec = Path.of(System.getProperty("raftref.specDir", "../spec"));
    Path mapping = spec.resolveSibling("docs").resolve("mapping.md");
    raftTla = Files.readString(spec.resolve("Raft.tla"));
    rows = new LinkedHashMap<>();
    for (String line : Files.readAllLines(mapping)) {
      if (!line.startsWith("| §") && !line.startsWith("| thesis")) {
        continue;
      }
      String[] cells = line.split("\\|");
      assertEquals(6, cells.length, "docs/mapping.md: a row must have 5 cells: " + line);
      Row row = new Row(cells[1].trim(), first(cells[2]), first(cells[3]), first(cells[4]), all(cells[5]));
      assertTrue(rows.put(row.traceEvent(), row) == null, "docs/mapping.md names " + row.traceEvent() + " twice");
    }
    assertTrue(rows.size() >= TraceAction.values().length, "docs/mapping.md: table not found or too short");
  }

  private static String first(String cell) {
    Matcher m = CODE.matcher(cell);
    assertTrue(m.find(), "docs/mapping.md: no `code` in cell '" + cell.trim() + "'");
    return m.group(1);
  }

  private static List<String> all(String cell) {
    List<String> found = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  @Test
  void everyTraceActionHasExactlyOneRowAndEveryRowATraceAction() {
    TreeSet<String> actions = new TreeSet<>();
    Arrays.stream(TraceAction.values()).forEach(a -> actions.add(a.name()));
    assertEquals(actions, new TreeSet<>(rows.keySet()), "TraceAction constants vs rows of docs/mapping.md");
  }

  @Test
  void everyRowNamesTheSameActionInTheSpecAndTheTrace() {
    for (Row row : rows.values()) {
      String name = row.specAction().replaceAll("\\(.*", "");
      assertEquals(row.traceEvent(), name, "spec action and trace event of a row differ");
      assertTrue(Pattern.compile("(?m)^" + Pattern.quote(row.specAction()) + " ==").matcher(raftTla).find(),
          "spec/Raft.tla does not define " + row.specAction() + " (with these parameters)");
    }
  }

  @Test
  void everySpecActionInNextHasARow() {
    Matcher next = Pattern.compile("(?s)NodeNext ==(.*?)\\n\\n.*?EnvironmentNext ==(.*?)\\n\\n").matcher(raftTla);
    assertTrue(next.find(), "spec/Raft.tla: NodeNext and EnvironmentNext not found");
    // Actions are what follows a disjunction or a quantifier's colon (BagToSet etc. follow \in).
    Matcher called = Pattern.compile("(?:\\\\/|:)\\s*([A-Z][A-Za-z]+)\\(").matcher(next.group(1) + next.group(2));
    while (called.find()) {
      assertTrue(rows.containsKey(called.group(1)),
          "spec/Raft.tla's Next uses " + called.group(1) + ", which docs/mapping.md does not list");
    }
  }

  @Test
  void everyJavaMethodExists() throws ClassNotFoundException {
    for (Row row : rows.values()) {
      String[] parts = row.javaMethod().split("\\.");
      assertEquals(2, parts.length, "Java method must be Class.method: " + row.javaMethod());
      String pkg = parts[0].equals("RaftNode") ? "org.raftref.core." : "org.raftref.sim.";
      assertTrue(hasMethod(Class.forName(pkg + parts[0]), parts[1]),
          row.traceEvent() + ": " + pkg + row.javaMethod() + " does not exist");
      if (TraceAction.valueOf(row.traceEvent()).isNodeStep() && !parts[1].equals("propose")
          && !parts[1].equals("advance")) {
        String camel = Character.toLowerCase(row.traceEvent().charAt(0)) + row.traceEvent().substring(1);
        assertEquals(camel, parts[1], "a node step's method is named as its action, in lower camel case");
      }
    }
  }

  @Test
  void everyNamedTestExists() throws ClassNotFoundException {
    for (Row row : rows.values()) {
      assertTrue(!row.tests().isEmpty(), row.traceEvent() + " has no test in docs/mapping.md");
      for (String test : row.tests()) {
        String[] parts = test.split("#");
        assertEquals(2, parts.length, "a test must be Class#method: " + test);
        String className = parts[0].contains(".") ? parts[0] : "org.raftref.core." + parts[0];
        assertTrue(hasMethod(Class.forName(className), parts[1]), "docs/mapping.md names a missing test " + test);
      }
    }
  }

  private static boolean hasMethod(Class<?> type, String name) {
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
