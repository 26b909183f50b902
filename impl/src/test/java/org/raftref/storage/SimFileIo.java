package org.raftref.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A file system in memory that remembers what is durable, for fault injection (the seam is {@link FileIo}).
 *
 * <p>Durability model (stricter than ext4, as POSIX allows): a file's bytes are durable after its
 * {@code sync()}; a name created, renamed or deleted is durable after {@code syncDirectory} of its
 * directory. {@link #crashImage} builds the file system a restarted process finds. Directories themselves
 * are durable at once.
 *
 * <p>Faults, each at the n-th mutating operation (create, write, truncate, sync, rename, delete,
 * syncDirectory, counted from 1 across the life of this object): a crash ({@link Crash} is thrown and the
 * operation does not happen), an {@link IOException} (the operation does not happen; a failed sync also
 * loses the file's unsynced bytes for good, as Linux may after a failed fsync), and a capacity in bytes
 * beyond which writes fail with "No space left on device" after writing what fits.
 */
final class SimFileIo implements FileIo {

  /** Thrown at the crash point: the process is gone; nothing after it happens. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash(long op) {
      super("simulated crash before I/O operation " + op);
    }
  }

  enum Op { CREATE, WRITE, TRUNCATE, SYNC, RENAME, DELETE, SYNC_DIRECTORY }

  /** One file's contents: what a read sees, and what a crash keeps. */
  static final class Inode {
    byte[] data = new byte[0];
    byte[] durable = new byte[0];
    /** A failed sync lost the unsynced bytes: a crash never keeps them, whatever later syncs say. */
    boolean syncFailed;
  }

  private final Map<Path, Inode> names = new HashMap<>();
  private final Map<Path, Inode> durableNames = new HashMap<>();
  private final Set<Path> directories = new HashSet<>();
  private final Set<Path> locks = new HashSet<>();
  private final List<Op> log = new ArrayList<>();

  private long crashAt = -1;
  private long failAt = -1;
  private long capacity = Long.MAX_VALUE;
  private long opsAfterFailure;
  private boolean failed;

  void crashAt(long op) {
    crashAt = op;
  }

  void failAt(long op) {
    failAt = op;
  }

  void capacity(long bytes) {
    capacity = bytes;
  }

  /** Mutating operations so far, in order. */
  List<Op> operations() {
    return List.copyOf(log);
  }

  /** Mutating operations that succeeded after an injected failure or a full disk. */
  long operationsAfterFailure() {
    return opsAfterFailure;
  }

  /** Bytes in all files now. */
  long usedBytes() {
    long used = 0;
    for (Inode inode : new HashSet<>(names.values())) {
      used += inode.data.length;
    }
    return used;
  }

  Set<Path> files() {
    return new HashSet<>(names.keySet());
  }

  Inode inode(Path file) {
    Inode inode = names.get(file);
    if (inode == null) {
      throw new IllegalArgumentException("no file " + file);
    }
    return inode;
  }

  /** How a crash treats bytes that were written but not synced. */
  enum Unsynced { LOST, KEPT }

  /**
   * The file system after a crash now: durable names only, and each file's durable bytes (or, with
   * {@link Unsynced#KEPT}, everything written: names and bytes, as if the kernel had flushed it all).
   */
  SimFileIo crashImage(Unsynced unsynced) {
    SimFileIo image = new SimFileIo();
    image.directories.addAll(directories);
    Map<Path, Inode> kept = unsynced == Unsynced.KEPT ? names : durableNames;
    Map<Inode, Inode> copies = new HashMap<>();
    for (Map.Entry<Path, Inode> e : kept.entrySet()) {
      Inode from = e.getValue();
      Inode copy = copies.computeIfAbsent(from, f -> new Inode());
      copy.data = (unsynced == Unsynced.KEPT && !from.syncFailed ? from.data : from.durable).clone();
      copy.durable = copy.data.clone();
      image.names.put(e.getKey(), copy);
      image.durableNames.put(e.getKey(), copy);
    }
    image.capacity = capacity;
    return image;
  }

  /**
   * The file system after a crash that tore the unsynced appended bytes of {@code file}: its durable bytes
   * plus the first {@code keep} bytes written after them, then, if {@code zeroFill}, zeros up to the size
   * the file had (the size reached the disk, the data did not). Other files keep their durable bytes.
   */
  SimFileIo tornImage(Path file, int keep, boolean zeroFill) {
    SimFileIo image = crashImage(Unsynced.LOST);
    Inode from = inode(file);
    Inode to = image.names.get(file);
    if (to == null) {
      throw new IllegalStateException(file + " is not durable in the directory");
    }
    int durable = from.durable.length;
    if (from.data.length < durable || !Arrays.equals(from.data, 0, durable, from.durable, 0, durable)) {
      throw new IllegalStateException(file + " was not only appended to since its last sync");
    }
    byte[] torn = Arrays.copyOf(from.data, zeroFill ? from.data.length : durable + keep);
    Arrays.fill(torn, durable + keep, torn.length, (byte) 0);
    to.data = torn;
    to.durable = torn.clone();
    return image;
  }

  private void mutate(Op op) throws IOException {
    long number = log.size() + 1;
    if (number == crashAt) {
      throw new Crash(number);
    }
    log.add(op);
    if (number == failAt) {
      failed = true;
      throw new IOException("injected " + op + " failure (operation " + number + ")");
    }
    if (failed) {
      opsAfterFailure++;
    }
  }

  @Override
  public boolean createDirectories(Path dir) {
    boolean created = false;
    for (Path d = dir; d != null && !directories.contains(d); d = d.getParent()) {
      directories.add(d);
      created = true;
    }
    return created;
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    if (!directories.contains(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    List<String> result = new ArrayList<>();
    for (Path p : names.keySet()) {
      if (dir.equals(p.getParent())) {
        result.add(String.valueOf(p.getFileName()));
      }
    }
    return result;
  }

  @Override
  public boolean exists(Path file) {
    return names.containsKey(file) || directories.contains(file);
  }

  @Override
  public DataFile open(Path file) throws IOException {
    Inode inode = names.get(file);
    if (inode == null) {
      throw new NoSuchFileException(file.toString());
    }
    return new SimFile(inode);
  }

  @Override
  public DataFile create(Path file) throws IOException {
    if (!directories.contains(file.getParent())) {
      throw new NoSuchFileException(file.toString());
    }
    mutate(Op.CREATE);
    Inode inode = names.get(file);
    if (inode == null) {
      inode = new Inode();
      names.put(file, inode);
    } else {
      inode.data = new byte[0];
    }
    return new SimFile(inode);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    mutate(Op.RENAME);
    Inode inode = names.remove(from);
    if (inode == null) {
      throw new NoSuchFileException(from.toString());
    }
    names.put(to, inode);
  }

  @Override
  public void delete(Path file) throws IOException {
    mutate(Op.DELETE);
    if (names.remove(file) == null) {
      throw new NoSuchFileException(file.toString());
    }
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    mutate(Op.SYNC_DIRECTORY);
    durableNames.keySet().removeIf(p -> dir.equals(p.getParent()));
    for (Map.Entry<Path, Inode> e : names.entrySet()) {
      if (dir.equals(e.getKey().getParent())) {
        durableNames.put(e.getKey(), e.getValue());
      }
    }
  }

  @Override
  public Closeable lock(Path file) throws IOException {
    if (!locks.add(file)) {
      throw new IOException("locked by another process or another open storage");
    }
    names.computeIfAbsent(file, f -> new Inode());
    return () -> locks.remove(file);
  }

  private final class SimFile implements DataFile {

    private final Inode inode;

    SimFile(Inode inode) {
      this.inode = inode;
    }

    @Override
    public long size() {
      return inode.data.length;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
      if (position >= inode.data.length) {
        return 0;
      }
      int n = (int) Math.min(dst.remaining(), inode.data.length - position);
      dst.put(inode.data, (int) position, n);
      return n;
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
      mutate(Op.WRITE);
      int n = src.remaining();
      long end = position + n;
      long room = capacity - usedBytes() + inode.data.length;
      boolean full = end > room;
      long newLength = Math.max(inode.data.length, full ? Math.max(position, room) : end);
      if (newLength > inode.data.length) {
        inode.data = Arrays.copyOf(inode.data, (int) newLength);
      }
      int fits = (int) Math.max(0, Math.min(n, newLength - position));
      src.get(inode.data, (int) position, fits);
      if (full) {
        failed = true;
        throw new IOException("No space left on device (wrote " + fits + " of " + n + " bytes)");
      }
    }

    @Override
    public void truncate(long size) throws IOException {
      mutate(Op.TRUNCATE);
      if (size < inode.data.length) {
        inode.data = Arrays.copyOf(inode.data, (int) size);
      }
    }

    @Override
    public void sync() throws IOException {
      try {
        mutate(Op.SYNC);
      } catch (IOException e) {
        inode.syncFailed = true;
        throw e;
      }
      if (!inode.syncFailed) {
        inode.durable = inode.data.clone();
      }
    }

    @Override
    public void close() {}
  }
}
