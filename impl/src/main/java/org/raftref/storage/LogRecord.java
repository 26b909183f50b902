package org.raftref.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.raftref.message.LogEntry;

/**
 * The on-disk form of one log entry, and of a segment file's header. Big-endian throughout.
 *
 * <pre>
 * record  = length:u32  ~length:u32  crc:u32  payload  end:u8 (0xA5)
 * payload = index:u64  term:u64  command:byte[length - 16]
 * crc     = CRC32C(payload)
 *
 * segment header = magic:u32 "RRLG"  version:u32  nodeId:u32  firstIndex:u64  crc:u32 (CRC32C of the 20 bytes before)
 * </pre>
 *
 * <p>Three details exist only so that recovery can tell a record a crash cut short from a damaged one
 * (see {@code docs/storage.md}): the length is stored twice, the second copy inverted, so a damaged length
 * is caught before it is trusted; a record always ends with the non-zero byte {@link #END}, which no
 * single bit flip turns into zero, so a file whose last byte is zero did not end with a complete record;
 * and the index is stored, so a record in the wrong place is caught rather than read as another entry.
 */
final class LogRecord {

  static final int HEADER_BYTES = 12;
  static final int PAYLOAD_FIXED_BYTES = 16;
  static final int TRAILER_BYTES = 1;
  /** The last byte of every record: four bits set, so one flipped bit leaves it non-zero. */
  static final byte END = (byte) 0xA5;
  static final int SEGMENT_MAGIC = 0x52524c47; // "RRLG"
  static final int SEGMENT_VERSION = 1;
  static final int SEGMENT_HEADER_BYTES = 24;

  private LogRecord() {}

  /** Bytes one entry takes on disk. */
  static int size(LogEntry entry) {
    return HEADER_BYTES + PAYLOAD_FIXED_BYTES + entry.command().length + TRAILER_BYTES;
  }

  /** Writes the record of {@code entry} at {@code index} into {@code out} (which has room for it). */
  static void encode(long index, LogEntry entry, ByteBuffer out) {
    int payloadLength = PAYLOAD_FIXED_BYTES + entry.command().length;
    int start = out.position();
    out.putInt(payloadLength).putInt(~payloadLength).putInt(0);
    int payloadStart = out.position();
    out.putLong(index).putLong(entry.term()).put(entry.command());
    out.put(END);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), out.arrayOffset() + payloadStart, payloadLength);
    out.putInt(start + 8, (int) crc.getValue());
  }

  static byte[] segmentHeader(int nodeId, long firstIndex) {
    ByteBuffer header = ByteBuffer.allocate(SEGMENT_HEADER_BYTES);
    header.putInt(SEGMENT_MAGIC).putInt(SEGMENT_VERSION).putInt(nodeId).putLong(firstIndex);
    header.putInt(crc(header.array(), 0, 20));
    return header.array();
  }

  /**
   * Null if a complete, intact record starts at {@code pos} of {@code bytes} (which end at
   * {@code bytes.length}), else what is wrong with it. Says nothing about the index and term it holds.
   */
  static @Nullable String damage(byte[] bytes, int pos, int maxEntryBytes) {
    int available = bytes.length - pos;
    if (available < HEADER_BYTES) {
      return "record header cut short (" + available + " of " + HEADER_BYTES + " bytes)";
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int length = in.getInt(pos);
    int check = in.getInt(pos + 4);
    if (length != ~check) {
      return "record length damaged (its two copies say " + length + " and " + ~check + ")";
    }
    if (length < PAYLOAD_FIXED_BYTES || length > PAYLOAD_FIXED_BYTES + maxEntryBytes) {
      return "record length " + length + " outside " + PAYLOAD_FIXED_BYTES + ".." + (PAYLOAD_FIXED_BYTES + maxEntryBytes);
    }
    int total = HEADER_BYTES + length + TRAILER_BYTES;
    if (total > available) {
      return "record cut short (" + available + " of " + total + " bytes)";
    }
    if (bytes[pos + total - 1] != END) {
      return "record end marker damaged";
    }
    if (in.getInt(pos + 8) != crc(bytes, pos + HEADER_BYTES, length)) {
      return "CRC32C mismatch";
    }
    return null;
  }

  /** Bytes of the record at {@code pos}, whose header {@link #damage} found intact. */
  static int sizeAt(byte[] bytes, int pos) {
    return HEADER_BYTES + ByteBuffer.wrap(bytes).getInt(pos) + TRAILER_BYTES;
  }

  static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }
}
