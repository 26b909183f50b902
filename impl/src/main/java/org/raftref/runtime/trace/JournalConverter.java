package org.raftref.runtime.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.raftref.trace.JsonBytes;
import org.raftref.trace.NdjsonSink;
import org.raftref.trace.ValueDigest;

/**
 * Turns an incarnation's journal into its ndjson trace and clock file ({@link TraceFiles}), then deletes the
 * journal, its continuation and the file in memory it may link to. The trace is written by the same
 * {@link NdjsonSink} the simulator uses, fed the events the journal replays (with each command's digest for
 * the command, {@link ValueDigest#ofDigests()}), so it has exactly the bytes a sink attached to the core would
 * have written.
 *
 * <p>A server converts its own journal when it stops; a killed server's journal is converted by the next
 * {@code merge-traces} ({@link #finishAll}). While a journal exists it is the incarnation's record: a
 * conversion interrupted half-way is simply done again.
 */
public final class JournalConverter {

  private static final int CLOCK_SPILL_BYTES = 8192;

  private JournalConverter() {}

  /**
   * Converts the journal of {@code inc} if it has one.
   *
   * @return the number of events converted, or -1 if there was no journal
   * @throws IOException if the journal cannot be read or decoded, is still being written, links to a file in
   *     memory that is gone ({@link TraceFiles#journalExists}), or the trace cannot be written
   */
  public static long finish(TraceFiles.Incarnation inc) throws IOException {
    if (!TraceFiles.journalExists(inc)) {
      return -1;
    }
    long events;
    try (JournalReader journal = JournalReader.open(inc.journal());
        OutputStream clocks = Files.newOutputStream(inc.clock())) {
      NdjsonSink trace = createTrace(inc.trace(), journal);
      JsonBytes clockLines = new JsonBytes(2 * CLOCK_SPILL_BYTES);
      try {
        events = journal.replay(trace, time -> {
          clockLines.number(time).raw('\n');
          if (clockLines.length() >= CLOCK_SPILL_BYTES) {
            drain(clockLines, clocks);
          }
        });
        clockLines.drainTo(clocks);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      } finally {
        closeTrace(trace);
      }
    }
    TraceFiles.deleteJournal(inc);
    return events;
  }

  /**
   * Converts every journal in {@code dir}: what killed servers left.
   *
   * @return how many journals were converted
   * @throws IOException as {@link #finish} does, for the first journal that fails
   */
  public static int finishAll(Path dir) throws IOException {
    int converted = 0;
    for (TraceFiles.Incarnation inc : TraceFiles.list(dir)) {
      if (finish(inc) >= 0) {
        converted++;
      }
    }
    return converted;
  }

  private static NdjsonSink createTrace(Path file, JournalReader journal) throws IOException {
    try {
      return NdjsonSink.toFile(file, journal.header(), ValueDigest.ofDigests());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void drain(JsonBytes lines, OutputStream out) {
    try {
      lines.drainTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeTrace(NdjsonSink trace) throws IOException {
    try {
      trace.close();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
