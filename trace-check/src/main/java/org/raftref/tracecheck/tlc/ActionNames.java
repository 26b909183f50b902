package org.raftref.tracecheck.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Names the spec action behind a step label of TLC's error trace.
 *
 * <p>TLC 2.18 labels a step {@code <Op line 212, col 5 to line 220, col 57 of module M>}, where {@code Op} is
 * the innermost defined operator whose body it split into the step. When that is an action of Raft.tla
 * ({@code Timeout}), it is the name. When it is a wrapper that only adds bookkeeping ({@code MCNext}, whose
 * disjuncts read {@code Timeout(i) /\ UNCHANGED faultVars}), the name is the first operator applied at the
 * label's position in the module: this class reads it there.
 */
final class ActionNames {

  private static final Pattern LABEL =
      Pattern.compile("^<(\\w+) line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)>$");
  private static final Pattern QUANTIFIER_PREFIX = Pattern.compile("^\\\\[EA]\\s[^:]*:\\s*");
  private static final Pattern LEADING_ACTION = Pattern.compile("^([A-Z]\\w*)\\s*\\(?");

  private final Path moduleDir;
  private final Map<String, List<String>> modules = new HashMap<>();

  /** @param moduleDir where the modules TLC read are (the run's work directory) */
  ActionNames(Path moduleDir) {
    this.moduleDir = moduleDir;
  }

  /** The action of {@code label}, or null for the initial state, stuttering or a label it cannot read. */
  @Nullable String actionOf(String label) {
    Matcher m = LABEL.matcher(label.strip());
    if (!m.matches()) {
      return null;
    }
    String operator = m.group(1);
    if (!isWrapper(operator)) {
      return operator;
    }
    List<String> lines = module(m.group(4));
    int line = Integer.parseInt(m.group(2));
    int column = Integer.parseInt(m.group(3));
    if (line < 1 || line > lines.size() || column < 1 || column > lines.get(line - 1).length()) {
      return null;
    }
    String text = QUANTIFIER_PREFIX.matcher(lines.get(line - 1).substring(column - 1)).replaceFirst("");
    Matcher action = LEADING_ACTION.matcher(text);
    return action.find() ? action.group(1) : null;
  }

  /** Next-state relations that wrap the spec's actions: MCNext, TraceNext, Next and the like. */
  private static boolean isWrapper(String operator) {
    return operator.endsWith("Next") || operator.startsWith("MC");
  }

  private List<String> module(String name) {
    return modules.computeIfAbsent(name, n -> {
      try {
        return Files.readAllLines(moduleDir.resolve(n + ".tla"));
      } catch (IOException e) {
        return List.of();
      }
    });
  }
}
