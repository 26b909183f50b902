package org.raftref.tracecheck.tlc;

import java.nio.file.Path;

/** Where the tests find the spec and put TLC's work directories (Maven sets both; see the pom). */
final class TlcTestSupport {

  static final Path SPEC_DIR =
      ModelConfiguration.requireSpecDir(Path.of(System.getProperty("raftref.specDir", "../spec")));
  static final Path WORK_ROOT = Path.of(System.getProperty("raftref.workDir", "target/tlc"));

  private TlcTestSupport() {}

  /** A runner whose work directories go to {@code target/tlc/<group>}. */
  static TlcRunner runner(String group) {
    return new TlcRunner(WORK_ROOT.resolve(group));
  }

  /** Prints progress as the test runs, so that a long check shows it is alive in the build log. */
  static TlcProgressListener printing(String name) {
    return progress -> System.out.println("[" + name + "] " + progress.describe());
  }
}
