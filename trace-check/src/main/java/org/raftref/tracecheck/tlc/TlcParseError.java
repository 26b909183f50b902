package org.raftref.tracecheck.tlc;

/**
 * Where TLC (or SANY, its parser) found the spec or the configuration to be wrong.
 *
 * @param file the file name in the work directory, such as {@code Raft.tla} or {@code ci.cfg}
 * @param line the 1-based line, 0 when TLC does not say
 * @param column the 1-based column, 0 when TLC does not say
 * @param message what TLC said, in its words
 */
public record TlcParseError(String file, int line, int column, String message) {

  /** "Raft.tla:548:5: Was expecting ..." (the file:line:column form editors understand). */
  public String describe() {
    StringBuilder s = new StringBuilder(file);
    if (line > 0) {
      s.append(':').append(line);
      if (column > 0) {
        s.append(':').append(column);
      }
    }
    return s.append(": ").append(message).toString();
  }
}
