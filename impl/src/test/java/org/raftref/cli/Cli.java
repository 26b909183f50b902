package org.raftref.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in this JVM and keeps what it printed. */
record Cli(int exit, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = RaftrefMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Cli(exit, out.toString(), err.toString());
  }

  /** The error output is exactly one line. */
  boolean oneLineError() {
    return !err.isEmpty() && err.indexOf('\n') == err.length() - 1;
  }

  @Override
  public String toString() {
    return "exit " + exit + ", out: " + out + ", err: " + err;
  }
}
