package org.raftref.runtime.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names of the files in a trace directory. Each run of a server process (an <em>incarnation</em> of a node)
 * ends up with two files: {@code node-ID.K.ndjson}, the trace of docs/trace-format.md, and
 * {@code node-ID.K.clock}, the Lamport time of each of its events, one decimal number per line (line k for
 * the event with {@code seq} k). K counts the node's incarnations from 1. While the process runs it records
 * into {@code node-ID.K.journal} ({@link JournalFormat}), which {@link JournalConverter} turns into the two.
 * A journal kept in memory ({@link JournalMemory}) is a symbolic link to a file in a memory file system, and
 * what did not fit there continues in {@code node-ID.K.journal-continued}.
 */
public final class TraceFiles {

  private static final Pattern TRACE =
      Pattern.compile("node-([1-9][0-9]{0,9})\\.([1-9][0-9]{0,9})\\.(ndjson|journal)");

  /** One incarnation's files (each may or may not exist yet). */
  public record Incarnation(int node, int number, Path trace, Path clock, Path journal) {

    /** Where the journal continues on the disk once its memory is full ({@link JournalMemory}). */
    public Path continuation() {
      return TraceFiles.continuation(journal);
    }
  }

  private TraceFiles() {}

  public static Path traceFile(Path dir, int node, int incarnation) {
    return dir.resolve("node-" + node + "." + incarnation + ".ndjson");
  }

  public static Path clockFile(Path dir, int node, int incarnation) {
    return dir.resolve("node-" + node + "." + incarnation + ".clock");
  }

  public static Path journalFile(Path dir, int node, int incarnation) {
    return dir.resolve("node-" + node + "." + incarnation + ".journal");
  }

  /** The continuation of journal {@code journal}: see {@link Incarnation#continuation()}. */
  static Path continuation(Path journal) {
    return journal.resolveSibling(journal.getFileName() + "-continued");
  }

  /** One incarnation's files in {@code dir}. */
  public static Incarnation incarnation(Path dir, int node, int number) {
    return new Incarnation(node, number, traceFile(dir, node, number), clockFile(dir, node, number),
        journalFile(dir, node, number));
  }

  /** Every incarnation whose trace or journal is in {@code dir}, once each, by node, then incarnation. */
  public static List<Incarnation> list(Path dir) throws IOException {
    List<Incarnation> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path name = file.getFileName();
        Matcher m = TRACE.matcher(name == null ? "" : name.toString());
        String nodeDigits = m.matches() ? m.group(1) : null;
        String numberDigits = m.matches() ? m.group(2) : null;
        if (nodeDigits != null && numberDigits != null) {
          long node = Long.parseLong(nodeDigits);
          long number = Long.parseLong(numberDigits);
          if (node <= Integer.MAX_VALUE && number <= Integer.MAX_VALUE) {
            Incarnation inc = incarnation(dir, (int) node, (int) number);
            if (!found.contains(inc)) {
              found.add(inc); // a conversion interrupted half-way leaves both a journal and a trace
            }
          }
        }
      }
    }
    found.sort((a, b) -> a.node() != b.node() ? Integer.compare(a.node(), b.node())
        : Integer.compare(a.number(), b.number()));
    return found;
  }

  /**
   * True if {@code inc} has a journal: while it does, the journal is the incarnation's record.
   *
   * @throws IOException if the journal is a link to a file in memory that is gone: the machine restarted, or
   *     someone deleted the file, before the journal was converted. Going on would silently drop the
   *     incarnation's events, so this says what was lost and what to do.
   */
  public static boolean journalExists(Incarnation inc) throws IOException {
    Path journal = inc.journal();
    if (Files.isSymbolicLink(journal) && !Files.exists(journal)) {
      throw new IOException(journal + " links to " + Files.readSymbolicLink(journal) + ", which is gone: the "
          + "journal of node " + inc.node() + "'s run " + inc.number() + " was kept in memory, and the machine "
          + "restarted (or the file was deleted) before it was converted, so that run's events are lost. Delete "
          + "the link (and " + inc.continuation().getFileName() + ", if there) to go on without them");
    }
    return Files.exists(journal);
  }

  /**
   * Deletes the journal of {@code inc}, wherever its parts are: the link or file first (while it exists the
   * journal is the incarnation's record), then the continuation, then the file in memory it linked to.
   */
  static void deleteJournal(Incarnation inc) throws IOException {
    Path journal = inc.journal();
    Path memory = Files.isSymbolicLink(journal) ? journal.resolveSibling(Files.readSymbolicLink(journal)) : null;
    Files.deleteIfExists(journal);
    Files.deleteIfExists(inc.continuation());
    if (memory != null) {
      Files.deleteIfExists(memory);
    }
  }

  /**
   * Deletes every journal in {@code dir} without converting it, the files in memory they link to included:
   * for a benchmark, whose traces are only measured. Nothing if {@code dir} does not exist.
   */
  public static void deleteJournals(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      for (Incarnation inc : list(dir)) {
        deleteJournal(inc);
      }
    }
  }

  /**
   * The complete lines of a file written line by line: everything up to the last newline. A process killed
   * while writing leaves a partial last line, which is not a line yet.
   */
  static List<String> completeLines(Path file) throws IOException {
    String text = Files.readString(file);
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      lines.add(text.substring(start, end));
      start = end + 1;
    }
    return lines;
  }
}
