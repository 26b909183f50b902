package org.raftref.tracecheck.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec or configuration that TLC cannot read is reported as a parse error with TLC's file and line, not
 * as a generic failure. Each test breaks a copy of spec/ in one known place and runs the real TLC on it.
 */
class TlcParseErrorTest {

  @TempDir
  Path specCopy;

  private void copySpec() throws IOException {
    try (Stream<Path> files = Files.list(TlcTestSupport.SPEC_DIR)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, specCopy.resolve(f.getFileName()));
      }
    }
  }

  /** Inserts {@code text} as a new line before the first line of Raft.tla starting with {@code before}. */
  private int insertIntoRaft(String before, String text) throws IOException {
    Path raft = specCopy.resolve("Raft.tla");
    List<String> lines = new ArrayList<>(Files.readAllLines(raft));
    int index = 0;
    while (!lines.get(index).startsWith(before)) {
      index++;
    }
    lines.add(index, text);
    Files.write(raft, lines);
    return index + 1;
  }

  private TlcResult check(String configuration) throws IOException {
    return TlcTestSupport.runner("parse-errors")
        .check(ModelConfiguration.named(specCopy, configuration), TlcOptions.defaults(), TlcProgressListener.NONE);
  }

  @Test
  void syntaxErrorIsReportedWithTheFileAndLineWhereTheParserStopped() throws IOException {
    copySpec();
    int inserted = insertIntoRaft("ElectionSafety ==", "Broken == (1 + ");

    TlcResult result = check("ci");

    assertEquals(TlcExitCode.SPEC_PARSE_ERROR, result.exit(), result.summary());
    TlcParseError error = result.parseError();
    assertNotNull(error, result.summary());
    assertEquals("Raft.tla", error.file());
    // The unclosed expression runs into the next definition, where SANY gives up.
    assertEquals(inserted + 1, error.line(), error.describe());
    assertEquals(1, error.column(), error.describe());
    assertFalse(result.succeeded());
  }

  @Test
  void unknownOperatorIsReportedWithItsFileLineAndColumn() throws IOException {
    copySpec();
    int inserted = insertIntoRaft("ElectionSafety ==", "Broken == NoSuchOperator + 1");

    TlcResult result = check("ci");

    assertEquals(TlcExitCode.SPEC_PARSE_ERROR, result.exit(), result.summary());
    TlcParseError error = result.parseError();
    assertNotNull(error, result.summary());
    assertEquals(new TlcParseError("Raft.tla", inserted, 11, "Unknown operator: `NoSuchOperator'."), error);
  }

  @Test
  void configurationThatDoesNotParseIsReportedWithItsLine() throws IOException {
    copySpec();
    // Line 3 lacks the "= value" of a constant.
    Files.writeString(specCopy.resolve("broken.cfg"), "SPECIFICATION MCSpec\nCONSTANTS\n  Server\n");

    TlcResult result = check("broken");

    TlcParseError error = result.parseError();
    assertNotNull(error, result.summary());
    assertEquals("broken.cfg", error.file());
    assertEquals(3, error.line(), error.describe());
    assertTrue(result.summary().contains("configuration error at broken.cfg:3"), result.summary());
  }

  @Test
  void configurationThatLeavesAConstantUnassignedIsAConfigurationError() throws IOException {
    copySpec();
    List<String> ci = new ArrayList<>(Files.readAllLines(specCopy.resolve("ci.cfg")));
    ci.removeIf(line -> line.strip().startsWith("MaxBatch"));
    Files.write(specCopy.resolve("nobatch.cfg"), ci);

    TlcResult result = check("nobatch");

    assertEquals(TlcExitCode.CONFIG_PARSE_ERROR, result.exit(), result.summary());
    TlcParseError error = result.parseError();
    assertNotNull(error, result.summary());
    assertEquals("nobatch.cfg", error.file());
    assertTrue(error.message().contains("MaxBatch"), error.message());
  }
}
