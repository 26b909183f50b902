package org.raftref.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The file operations {@link FileStorage} performs, and nothing more: the seam through which tests inject
 * crashes, torn writes, failed fsyncs and a full disk. {@link #real()} is the JDK implementation.
 *
 * <p>Durability model the storage relies on (and the fault-injecting implementation enforces): file data
 * is durable after {@link DataFile#sync()}; a created, renamed or deleted name is durable after
 * {@link #syncDirectory}. A crash may keep any prefix of what was written to a file after its last sync.
 */
public interface FileIo {

  /** The real file system (NIO {@link java.nio.channels.FileChannel}s). */
  static FileIo real() {
    return NioFileIo.INSTANCE;
  }

  /** Creates {@code dir} and missing parents; returns true if {@code dir} did not exist. */
  boolean createDirectories(Path dir) throws IOException;

  /** Names of the entries of {@code dir}, in no particular order. */
  List<String> list(Path dir) throws IOException;

  boolean exists(Path file);

  /** Opens an existing file for reading and writing. */
  DataFile open(Path file) throws IOException;

  /** Creates {@code file}, empty (an existing file of that name is truncated), open for reading and writing. */
  DataFile create(Path file) throws IOException;

  /** Renames {@code from} to {@code to}, replacing {@code to}, atomically. */
  void rename(Path from, Path to) throws IOException;

  void delete(Path file) throws IOException;

  /** Makes the creations, renames and deletions in {@code dir} durable (fsync of the directory). */
  void syncDirectory(Path dir) throws IOException;

  /**
   * Takes an exclusive lock on {@code file} (created if missing) held until the result is closed.
   *
   * @throws IOException if another process or another open storage holds it
   */
  Closeable lock(Path file) throws IOException;

  /** An open file. Not thread-safe: the storage uses each from one thread at a time. */
  interface DataFile extends Closeable {

    long size() throws IOException;

    /** Reads into {@code dst} from {@code position} until it is full or the file ends; returns bytes read. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;

    /** Makes the file's data and size durable (fdatasync). */
    void sync() throws IOException;
  }
}
