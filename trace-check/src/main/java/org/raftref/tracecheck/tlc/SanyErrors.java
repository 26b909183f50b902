package org.raftref.tracecheck.tlc;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the first error in the plain-text output of SANY, TLC's parser, which {@code -tool} mode does not
 * wrap in messages. SANY reports three kinds:
 * <ul>
 *   <li>syntax: {@code ***Parse Error***}, {@code Encountered "x" at line 548, column 5 ...}, then
 *       {@code Could not parse module Raft from file Raft.tla};</li>
 *   <li>semantic: {@code Semantic errors:}, {@code line 549, col 75 to line 549, col 84 of module Raft}, then
 *       the message on a later line, such as {@code Unknown operator: `currentTrm'.};</li>
 *   <li>a missing module: {@code Cannot find source file for module Foo}.</li>
 * </ul>
 */
final class SanyErrors {

  private static final Pattern ENCOUNTERED = Pattern.compile("at line (\\d+), column (\\d+)");
  private static final Pattern MODULE_FILE = Pattern.compile("Could not parse module (\\w+)");
  private static final Pattern IN_MODULE = Pattern.compile("^In module (\\w+)");
  private static final Pattern SEMANTIC_AT =
      Pattern.compile("^line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)");
  private static final Pattern MISSING = Pattern.compile("Cannot find source file for module (\\w+)");

  private SanyErrors() {}

  /** The first error the lines report; a location-less error with the lines' gist if none is recognized. */
  static TlcParseError firstError(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("***Parse Error***")) {
        return syntaxError(lines, i);
      }
      Matcher semantic = SEMANTIC_AT.matcher(line);
      if (semantic.find()) {
        return new TlcParseError(semantic.group(3) + ".tla", Integer.parseInt(semantic.group(1)),
            Integer.parseInt(semantic.group(2)), nextNonBlank(lines, i + 1));
      }
      Matcher missing = MISSING.matcher(line);
      if (missing.find()) {
        return new TlcParseError(missing.group(1) + ".tla", 0, 0, line);
      }
    }
    StringBuilder gist = new StringBuilder();
    for (String line : lines) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("Parsing file") && !l.startsWith("Semantic processing")) {
        gist.append(gist.length() == 0 ? "" : " | ").append(l);
      }
    }
    return new TlcParseError("", 0, 0, gist.length() == 0 ? "the spec does not parse" : gist.toString());
  }

  private static TlcParseError syntaxError(List<String> lines, int from) {
    StringBuilder message = new StringBuilder();
    int lineNumber = 0;
    int column = 0;
    String module = "";
    for (int i = from + 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      Matcher at = ENCOUNTERED.matcher(line);
      if (lineNumber == 0 && at.find()) {
        lineNumber = Integer.parseInt(at.group(1));
        column = Integer.parseInt(at.group(2));
      }
      Matcher file = MODULE_FILE.matcher(line);
      Matcher in = IN_MODULE.matcher(line);
      if (file.find()) {
        module = file.group(1);
        break;
      } else if (in.find()) {
        module = in.group(1);
      }
      if (message.length() < 300 && !line.isEmpty() && !line.startsWith("Residual stack trace")
          && !line.startsWith("Module definition starting")) {
        message.append(message.length() == 0 ? "" : " ").append(line);
      }
      if (line.startsWith("Fatal errors")) {
        message.setLength(Math.max(0, message.length() - line.length() - 1));
      }
    }
    return new TlcParseError(module.isEmpty() ? "" : module + ".tla", lineNumber, column,
        message.toString().strip());
  }

  private static String nextNonBlank(List<String> lines, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return lines.get(i).strip();
      }
    }
    return "semantic error";
  }
}
