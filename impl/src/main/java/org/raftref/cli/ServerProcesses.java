package org.raftref.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Starting server processes, and finding them again through their pid files. */
final class ServerProcesses {

  private ServerProcesses() {}

  /** The command that runs {@code raftref} in a new JVM with this JVM's class path. */
  static List<String> raftrefCommand(List<String> javaOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(RaftrefMain.class.getName());
    return command;
  }

  /** This JVM's class path with every entry absolute, so that a child started elsewhere finds it too. */
  private static String absoluteClassPath() {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Starts {@code command} in the background, its output appended to {@code log}. */
  static Process start(List<String> command, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    process.getOutputStream().close(); // the server reads no input
    return process;
  }

  static void writePid(Path file, long pid) throws IOException {
    Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
  }

  /** The pid in {@code file}, or -1 if the file is not one. */
  static long readPid(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The live process with {@code pid}, if it is a raftref server started by {@code raftref cluster start}
   * (its arguments name {@link RaftrefMain}). A pid file can outlive its process, and the system may have
   * given the number to another process since: that one is not ours to stop.
   */
  static Optional<ProcessHandle> liveServer(long pid) {
    Optional<ProcessHandle> handle = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return Optional.empty();
    }
    // A process whose arguments cannot be read is not taken for ours: on Linux that is a zombie (killed, not
    // yet reaped), whose command line is gone.
    Optional<String[]> arguments = handle.get().info().arguments();
    if (arguments.isEmpty() || !List.of(arguments.get()).contains(RaftrefMain.class.getName())) {
      return Optional.empty();
    }
    return handle;
  }

  /** The last non-empty line of {@code log}, to explain why a server exited; null if there is none. */
  static @Nullable String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      // no log to quote
    }
    return null;
  }
}
