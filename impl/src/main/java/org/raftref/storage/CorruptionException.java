package org.raftref.storage;

import java.nio.file.Path;

/**
 * Recovery found damage it must not repair: data that may have been acknowledged is unreadable or
 * inconsistent. The node refuses to start rather than forget an entry it may have promised to keep.
 * Names the file and the byte offset of the damage.
 */
public final class CorruptionException extends StorageException {

  private static final long serialVersionUID = 1L;

  private final Path file;
  private final long offset;

  public CorruptionException(Path file, long offset, String problem) {
    super("corrupt data in " + file + " at offset " + offset + ": " + problem
        + "; refusing to start (see docs/storage.md, Recovery)");
    this.file = file;
    this.offset = offset;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** The byte offset in {@link #file()} where the damage starts. */
  public long offset() {
    return offset;
  }
}
