package org.raftref.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file {@value #NAME}: which node a data directory belongs to, one line of text, so that a node never
 * starts from another node's log (a copy-paste of a command line is enough to cause that).
 */
final class NodeIdFile {

  static final String NAME = "node-id";
  static final String TEMP = "node-id.tmp";
  private static final Pattern LINE = Pattern.compile("raftref node-id ([1-9][0-9]{0,9})\n");
  private static final int MAX_BYTES = 64;

  private NodeIdFile() {}

  /** Writes the file atomically: temporary file, fsync, rename, fsync of the directory. */
  static void create(FileIo io, Path dir, int nodeId) throws IOException {
    byte[] text = ("raftref node-id " + nodeId + "\n").getBytes(StandardCharsets.US_ASCII);
    Path temp = dir.resolve(TEMP);
    try (FileIo.DataFile file = io.create(temp)) {
      file.write(ByteBuffer.wrap(text), 0);
      file.sync();
    }
    io.rename(temp, dir.resolve(NAME));
    io.syncDirectory(dir);
  }

  /** The node id recorded in {@code dir}; the file must exist. */
  static int read(FileIo io, Path dir) throws IOException, StorageException {
    Path path = dir.resolve(NAME);
    ByteBuffer bytes = ByteBuffer.allocate(MAX_BYTES + 1);
    try (FileIo.DataFile file = io.open(path)) {
      file.read(bytes, 0);
    }
    String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII);
    Matcher m = LINE.matcher(text);
    String digits = m.matches() ? m.group(1) : null;
    long id = digits != null ? Long.parseLong(digits) : -1;
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw new StorageException(path + " is damaged: expected one line \"raftref node-id N\", found "
          + bytes.position() + " bytes that are not");
    }
    return (int) id;
  }
}
