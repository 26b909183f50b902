package org.raftref.kv;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Writes the fields of {@link KvCodec}'s format. */
final class ByteWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  void writeByte(int value) {
    out.write(value);
  }

  /** Unsigned LEB128, shortest form. */
  void writeVarint(long value) {
    long rest = value;
    while ((rest & ~0x7FL) != 0) {
      out.write((int) ((rest & 0x7F) | 0x80));
      rest >>>= 7;
    }
    out.write((int) rest);
  }

  /**
   * A length and the UTF-8 bytes of {@code text}.
   *
   * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate, which has no UTF-8 form
   *     (Java's own encoder would silently write '?' instead, and the server would store another key)
   */
  void writeString(String field, String text) {
    ByteBuffer encoded;
    try {
      encoded = StandardCharsets.UTF_8.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(text));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the " + field + " is not valid Unicode text (it holds an unpaired"
          + " surrogate), so it has no UTF-8 form");
    }
    writeVarint(encoded.remaining());
    out.write(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining());
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
