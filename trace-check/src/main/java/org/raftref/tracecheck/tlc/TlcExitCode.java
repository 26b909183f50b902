package org.raftref.tracecheck.tlc;

/**
 * What TLC's exit code means (TLC2 2.18, {@code tlc2.output.EC.ExitStatus}; see ../shared/BUILD-NOTES.md).
 * A run passes only with {@link #SUCCESS} <em>and</em> the expected state count or depth: exit 0 alone also
 * follows a run that explored nothing.
 */
public enum TlcExitCode {
  SUCCESS(0, "success: no error found"),
  ASSUMPTION_VIOLATED(10, "an ASSUME is false"),
  DEADLOCK(11, "deadlock reached"),
  INVARIANT_VIOLATED(12, "an invariant is violated"),
  PROPERTY_VIOLATED(13, "a property (action or temporal) is violated"),
  ASSERTION_FAILED(14, "an Assert failed"),
  EVALUATION_ERROR(75, "TLC could not evaluate an expression"),
  SPEC_PARSE_ERROR(150, "the spec does not parse"),
  CONFIG_PARSE_ERROR(151, "the configuration is not valid for the spec"),
  GENERIC_ERROR(255, "TLC failed (see its output)"),
  UNKNOWN(-1, "an exit code TLC does not document");

  private final int code;
  private final String meaning;

  TlcExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The constant for {@code exitCode}; {@link #UNKNOWN} for a code TLC does not use. */
  public static TlcExitCode of(int exitCode) {
    for (TlcExitCode c : values()) {
      if (c.code == exitCode) {
        return c;
      }
    }
    return UNKNOWN;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
