package org.raftref.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.core.HardState;

/**
 * The file {@value #NAME}: the hard state (currentTerm, votedFor), replaced atomically.
 *
 * <pre>
 * magic:u32 "RRHS"  version:u32  nodeId:u32  currentTerm:u64  votedFor:u32  crc:u32 (CRC32C of the 24 bytes before)
 * </pre>
 *
 * <p>A new hard state goes to {@value #TEMP}, which is fsynced, renamed over {@value #NAME}, and then the
 * directory is fsynced. A crash leaves either the old file or the new one, never a mix, so the file is
 * never torn: any damage to it is corruption.
 */
final class HardStateFile {

  static final String NAME = "hardstate";
  static final String TEMP = "hardstate.tmp";
  private static final int MAGIC = 0x52524853; // "RRHS"
  private static final int VERSION = 1;
  private static final int BYTES = 28;

  private HardStateFile() {}

  static void write(FileIo io, Path dir, int nodeId, HardState hardState) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(BYTES);
    bytes.putInt(MAGIC).putInt(VERSION).putInt(nodeId).putLong(hardState.currentTerm())
        .putInt(hardState.votedFor());
    bytes.putInt(LogRecord.crc(bytes.array(), 0, BYTES - 4));
    bytes.flip();
    Path temp = dir.resolve(TEMP);
    try (FileIo.DataFile file = io.create(temp)) {
      file.write(bytes, 0);
      file.sync();
    }
    io.rename(temp, dir.resolve(NAME));
    io.syncDirectory(dir);
  }

  /** The stored hard state, or null if the file does not exist. */
  static @Nullable HardState read(FileIo io, Path dir, int nodeId) throws IOException, CorruptionException {
    Path path = dir.resolve(NAME);
    if (!io.exists(path)) {
      return null;
    }
    ByteBuffer bytes = ByteBuffer.allocate(BYTES);
    long size;
    try (FileIo.DataFile file = io.open(path)) {
      size = file.size();
      file.read(bytes, 0);
    }
    if (size != BYTES) {
      throw new CorruptionException(path, 0, "the file is " + size + " bytes, a hard state is " + BYTES);
    }
    int crc = bytes.getInt(BYTES - 4);
    if (crc != LogRecord.crc(bytes.array(), 0, BYTES - 4)) {
      throw new CorruptionException(path, BYTES - 4, "CRC32C mismatch");
    }
    if (bytes.getInt(0) != MAGIC || bytes.getInt(4) != VERSION) {
      throw new CorruptionException(path, 0, "not a version " + VERSION + " hard-state file");
    }
    if (bytes.getInt(8) != nodeId) {
      throw new CorruptionException(path, 8, "written by node " + bytes.getInt(8) + ", not node " + nodeId);
    }
    long term = bytes.getLong(12);
    int votedFor = bytes.getInt(20);
    if (term < 0 || votedFor < 0) {
      throw new CorruptionException(path, 12, "negative term " + term + " or votedFor " + votedFor);
    }
    return new HardState(term, votedFor);
  }
}
