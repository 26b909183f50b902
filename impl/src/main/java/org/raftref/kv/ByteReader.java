package org.raftref.kv;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of {@link KvCodec}'s format from one byte array, and words the errors: every message
 * starts with what is being read and its length, then the offset of the bad field.
 */
final class ByteReader {

  /** A 64-bit varint takes at most ten bytes; the tenth may only carry the top bit. */
  private static final int MAX_VARINT_BYTES = 10;

  private final String what;
  private final byte[] bytes;
  private int position;

  ByteReader(String what, byte[] bytes) {
    this.what = what;
    this.bytes = bytes;
  }

  int position() {
    return position;
  }

  MalformedCommandException error(int offset, String problem) {
    return new MalformedCommandException(what + " of " + bytes.length + " bytes, byte " + offset + ": " + problem);
  }

  void readVersion(int supported) throws MalformedCommandException {
    if (bytes.length == 0) {
      throw new MalformedCommandException(what + " is empty (0 bytes)");
    }
    int version = readByte("format version");
    if (version != supported) {
      throw error(0, "format version " + version + " is not supported (this build reads version " + supported + ")");
    }
  }

  int readByte(String field) throws MalformedCommandException {
    if (position >= bytes.length) {
      throw error(position, "ends where the " + field + " should be");
    }
    return bytes[position++] & 0xFF;
  }

  long readVarint(String field) throws MalformedCommandException {
    int start = position;
    long value = 0;
    for (int i = 0; i < MAX_VARINT_BYTES; i++) {
      if (position >= bytes.length) {
        throw error(start, "ends inside the " + field);
      }
      int b = bytes[position++] & 0xFF;
      if (i == MAX_VARINT_BYTES - 1 && b > 1) {
        throw error(start, "the " + field + " does not fit in 64 bits");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          // A last byte of zero adds nothing: the same number has a shorter form, and one value must have
          // one encoding so that equal requests are equal bytes.
          throw error(start, "the " + field + " is not in its shortest form");
        }
        return value;
      }
    }
    // Not reached: the tenth byte either ends the varint or fails the 64-bit check above.
    throw error(start, "the " + field + " is longer than " + MAX_VARINT_BYTES + " bytes");
  }

  String readString(String field) throws MalformedCommandException {
    int start = position;
    long length = readVarint(field + " length");
    int left = bytes.length - position;
    if (length < 0 || length > left) {
      throw error(start, "the " + field + " length " + Long.toUnsignedString(length) + " is more than the "
          + left + " bytes left");
    }
    int n = (int) length;
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, position, n))
          .toString();
      position += n;
      return text;
    } catch (CharacterCodingException e) {
      throw error(position, "the " + field + " (" + n + " bytes) is not well-formed UTF-8");
    }
  }

  void expectEnd() throws MalformedCommandException {
    if (position != bytes.length) {
      throw error(position, (bytes.length - position) + " unexpected bytes after the last field");
    }
  }
}
