package org.raftref.tracecheck.tlc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Reads the output of TLC run with {@code -tool}, line by line, as it comes.
 *
 * <p>In {@code -tool} mode TLC wraps each message in {@code @!@!@STARTMSG code:severity @!@!@} and
 * {@code @!@!@ENDMSG code @!@!@} lines (messages may nest: a general error wraps a configuration error), so
 * messages are recognized by their code ({@code tlc2.output.EC}) rather than by their wording. The parser
 * (SANY) prints its errors as plain text outside any message; those lines are kept and read when the run
 * ends.
 *
 * <p>Not thread-safe: one thread feeds the lines.
 */
final class TlcOutputParser {

  // Message codes of TLC2 2.18 (tlc2.output.EC) that the parser acts on.
  static final int GENERAL = 1000;
  static final int INVARIANT_VIOLATED_INITIAL = 2107;
  static final int INVARIANT_VIOLATED_BEHAVIOR = 2110;
  static final int ACTION_PROPERTY_VIOLATED_BEHAVIOR = 2112;
  static final int DEADLOCK_REACHED = 2114;
  static final int TEMPORAL_PROPERTY_VIOLATED = 2116;
  static final int BEHAVIOR_UP_TO_THIS_POINT = 2121;
  static final int BACK_TO_STATE = 2122;
  static final int COUNTER_EXAMPLE = 2264;
  static final int SUCCESS = 2193;
  static final int SEARCH_DEPTH = 2194;
  static final int STATS = 2199;
  static final int PROGRESS_STATS = 2200;
  static final int PROGRESS_SIMU = 2209;
  static final int STATE_PRINT1 = 2216;
  static final int STATE_PRINT2 = 2217;
  static final int STATE_PRINT3 = 2218;
  static final int PARSING_FAILED = 3002;
  static final int SEVERITY_ERROR = 1;

  private static final String MARKER = "@!@!@";
  private static final Pattern START = Pattern.compile("@!@!@STARTMSG (\\d+):(\\d+) @!@!@");
  private static final Pattern END = Pattern.compile("@!@!@ENDMSG (\\d+) @!@!@");
  private static final Pattern PROGRESS_DEPTH = Pattern.compile("Progress\\((-?\\d+)\\)");
  private static final Pattern GENERATED = Pattern.compile("(-?[\\d,]+) states generated");
  private static final Pattern DISTINCT = Pattern.compile("(-?[\\d,]+) distinct states found");
  private static final Pattern QUEUE = Pattern.compile("(-?[\\d,]+) states left on queue");
  private static final Pattern STATS_LINE = Pattern.compile(
      "([\\d,]+) states generated, ([\\d,]+) distinct states found, ([\\d,]+) states left on queue");
  private static final Pattern DEPTH_LINE = Pattern.compile("search is (\\d+)");
  private static final Pattern VIOLATED = Pattern.compile("^(Invariant|Action property) (\\S+) is violated");
  private static final Pattern STATE_HEADER = Pattern.compile("^(\\d+): (.*)$");
  private static final Pattern BACK_TO = Pattern.compile("^(\\d+): Back to state: (.*)$");
  private static final Pattern CONFIG_LINE = Pattern.compile("configuration file at line (\\d+)");

  /** A message being read: its code, severity and text so far. */
  private static final class Message {
    final int code;
    final int severity;
    final StringBuilder text = new StringBuilder();

    Message(int code, int severity) {
      this.code = code;
      this.severity = severity;
    }
  }

  private final Deque<Message> open = new ArrayDeque<>();
  private final List<String> plainLines = new ArrayList<>();
  private final List<TraceState> trace = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<Integer> codes = new ArrayList<>();
  private @Nullable TlcProgress lastProgress;
  private boolean completed;
  private long distinct = -1;
  private long generated = -1;
  private long queue = -1;
  private int depth = -1;
  private @Nullable String violation;
  private @Nullable String violatedProperty;
  private @Nullable TlcParseError configError;

  /**
   * Consumes one line of output; returns the progress it reports, if it is the end of a progress message.
   *
   * @param elapsed the time since the run started, for the progress record
   */
  @Nullable TlcProgress accept(String line, Duration elapsed) {
    // A message may start in the middle of a line (": @!@!@STARTMSG 5006:0 @!@!@" inside a general error).
    int marker = line.indexOf(MARKER);
    if (marker > 0) {
      text(line.substring(0, marker));
      return accept(line.substring(marker), elapsed);
    }
    Matcher start = START.matcher(line);
    if (start.lookingAt()) {
      open.push(new Message(Integer.parseInt(start.group(1)), Integer.parseInt(start.group(2))));
      String rest = line.substring(start.end());
      return rest.isBlank() ? null : accept(rest.stripLeading(), elapsed);
    }
    Matcher end = END.matcher(line);
    if (end.lookingAt() && !open.isEmpty()) {
      Message m = open.pop();
      TlcProgress progress = handle(m, m.text.toString().strip(), elapsed);
      String rest = line.substring(end.end());
      return rest.isBlank() ? progress : firstNonNull(progress, accept(rest.stripLeading(), elapsed));
    }
    text(line);
    return null;
  }

  private void text(String line) {
    if (open.isEmpty()) {
      plainLines.add(line);
    } else {
      open.peek().text.append(line).append('\n');
    }
  }

  private static @Nullable TlcProgress firstNonNull(@Nullable TlcProgress a, @Nullable TlcProgress b) {
    return a != null ? a : b;
  }

  private @Nullable TlcProgress handle(Message m, String text, Duration elapsed) {
    codes.add(m.code);
    switch (m.code) {
      case PROGRESS_STATS, PROGRESS_SIMU -> {
        Matcher d = PROGRESS_DEPTH.matcher(text);
        Matcher g = GENERATED.matcher(text);
        if (d.find() && g.find()) {
          long states = number(g.group(1));
          lastProgress = new TlcProgress(elapsed, find(DISTINCT, text), states, find(QUEUE, text),
              Integer.parseInt(d.group(1)), TlcProgress.Source.TLC_REPORT);
          if (m.code == PROGRESS_SIMU) {
            generated = states;
          }
          return lastProgress;
        }
      }
      case STATS -> {
        Matcher s = STATS_LINE.matcher(text);
        if (s.find()) {
          generated = number(s.group(1));
          distinct = number(s.group(2));
          queue = number(s.group(3));
        }
      }
      case SEARCH_DEPTH -> {
        Matcher d = DEPTH_LINE.matcher(text);
        if (d.find()) {
          depth = Integer.parseInt(d.group(1));
        }
      }
      case SUCCESS -> completed = true;
      case INVARIANT_VIOLATED_INITIAL, INVARIANT_VIOLATED_BEHAVIOR, ACTION_PROPERTY_VIOLATED_BEHAVIOR -> {
        Matcher v = VIOLATED.matcher(text);
        if (v.find()) {
          violation = v.group(1).equals("Invariant") ? "invariant" : "action property";
          violatedProperty = v.group(2);
        } else {
          errors.add(text);
        }
      }
      case TEMPORAL_PROPERTY_VIOLATED -> violation = "temporal properties";
      case DEADLOCK_REACHED -> violation = "deadlock";
      case STATE_PRINT1, STATE_PRINT2, STATE_PRINT3 -> addState(text);
      case BACK_TO_STATE -> {
        Matcher b = BACK_TO.matcher(text);
        if (b.find()) {
          trace.add(new TraceState(trace.size() + 1, b.group(2).strip(), null, "", Integer.parseInt(b.group(1))));
        }
      }
      case BEHAVIOR_UP_TO_THIS_POINT, COUNTER_EXAMPLE, PARSING_FAILED -> { }
      default -> {
        if (m.code >= 5000 && m.code < 6000) {
          Matcher c = CONFIG_LINE.matcher(text);
          configError = new TlcParseError("", c.find() ? Integer.parseInt(c.group(1)) : 0, 0,
              text.replaceAll("\\s*\\n\\s*", " "));
        } else if (m.severity == SEVERITY_ERROR && !(m.code == GENERAL && configError != null)) {
          errors.add(text);
        }
      }
    }
    return null;
  }

  private void addState(String text) {
    int newline = text.indexOf('\n');
    String header = newline < 0 ? text : text.substring(0, newline);
    String variables = newline < 0 ? "" : text.substring(newline + 1);
    Matcher h = STATE_HEADER.matcher(header.strip());
    if (h.matches()) {
      trace.add(new TraceState(Integer.parseInt(h.group(1)), h.group(2), null, variables));
    } else {
      trace.add(new TraceState(trace.size() + 1, header.strip(), null, variables));
    }
  }

  /** The number the pattern's first group matches in text, -1 if it does not match. */
  private static long find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? number(m.group(1)) : -1;
  }

  private static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  /** The last progress TLC reported, if any. */
  @Nullable TlcProgress lastProgress() {
    return lastProgress;
  }

  /** The lines printed outside any message (SANY's output, stack traces). */
  List<String> plainLines() {
    return plainLines;
  }

  /** The codes of the messages read so far, in order. */
  List<Integer> codes() {
    return codes;
  }

  /**
   * The result, once the run ended.
   *
   * @param configFile the configuration's file name, for configuration errors
   */
  TlcResult result(String configuration, int exitCode, Duration elapsed, Path workDir, Path output,
      String configFile, ActionNames actions) {
    return result(configuration, exitCode, elapsed, workDir, output, configFile, actions, false);
  }

  /**
   * The result, once the run ended; in {@code simulation} TLC prints no "completed" message, and exit 0
   * without an error is the success.
   */
  TlcResult result(String configuration, int exitCode, Duration elapsed, Path workDir, Path output,
      String configFile, ActionNames actions, boolean simulation) {
    TlcParseError parseError = null;
    if (configError != null) {
      parseError = new TlcParseError(configFile, configError.line(), 0, configError.message());
    } else if (exitCode == TlcExitCode.SPEC_PARSE_ERROR.code() || codes.contains(PARSING_FAILED)) {
      parseError = SanyErrors.firstError(plainLines);
    } else if (exitCode == TlcExitCode.CONFIG_PARSE_ERROR.code()) {
      parseError = new TlcParseError(configFile, 0, 0,
          errors.isEmpty() ? "TLC rejected the configuration" : String.join(" ", errors).strip());
    }
    List<String> otherErrors = parseError != null && exitCode == TlcExitCode.CONFIG_PARSE_ERROR.code()
        ? List.of() : errors;
    List<TraceState> named = new ArrayList<>();
    for (TraceState s : trace) {
      named.add(new TraceState(s.number(), s.label(), actions.actionOf(s.label()), s.variables(), s.backTo()));
    }
    boolean done = completed || (simulation && exitCode == 0 && violation == null && errors.isEmpty());
    return new TlcResult(configuration, exitCode, done, distinct, generated, queue, depth, violation,
        violatedProperty, named, otherErrors, parseError, elapsed, workDir, output);
  }
}
