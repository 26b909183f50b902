package org.raftref.kv;

/**
 * The binary form of requests and results, version 1. Compact (a small request is a dozen bytes plus its
 * strings) and strict: every byte must be where the format says, or decoding names the offset and what is
 * wrong there.
 *
 * <pre>
 * request = version:u8 (=1)  op:u8  clientId:varint  sequence:varint  key:string  [value:string]
 *           op: 1 GET, 2 PUT, 3 APPEND, 4 DELETE; value only for PUT and APPEND
 * result  = version:u8 (=1)  tag:u8  [text:string]
 *           tag: 1 OK, 2 VALUE (text = the value), 3 NOT_FOUND, 4 REJECTED (text = the reason)
 * string  = length:varint  bytes:byte[length], well-formed UTF-8
 * varint  = unsigned LEB128 of a 64-bit value: 7 bits a byte, low bits first, high bit set on every byte
 *           but the last; at most 10 bytes, and in its shortest form
 * </pre>
 *
 * <p>Nothing may follow the last field. The version byte comes first so that a later format can be told
 * apart; this build rejects any other version rather than guessing. Lengths are checked against the bytes
 * that are left before anything is allocated, so a hostile length cannot make a server allocate.
 *
 * <p>Why strict: a replicated state machine must reach the same verdict on the same bytes on every server
 * and in every later build that replays the log, so "accept what looks about right" is not an option.
 */
final class KvCodec {

  static final int VERSION = 1;

  private static final int OP_GET = 1;
  private static final int OP_PUT = 2;
  private static final int OP_APPEND = 3;
  private static final int OP_DELETE = 4;

  private static final int TAG_OK = 1;
  private static final int TAG_VALUE = 2;
  private static final int TAG_NOT_FOUND = 3;
  private static final int TAG_REJECTED = 4;

  private KvCodec() {}

  static byte[] encode(KvRequest request) {
    ByteWriter out = new ByteWriter();
    out.writeByte(VERSION);
    KvCommand command = request.command();
    out.writeByte(opCode(command));
    out.writeVarint(request.clientId());
    out.writeVarint(request.sequence());
    out.writeString("key", command.key());
    if (command instanceof KvCommand.Put put) {
      out.writeString("value", put.value());
    } else if (command instanceof KvCommand.Append append) {
      out.writeString("value", append.value());
    }
    return out.toByteArray();
  }

  static KvRequest decodeRequest(byte[] bytes) throws MalformedCommandException {
    ByteReader in = new ByteReader("request", bytes);
    in.readVersion(VERSION);
    int opOffset = in.position();
    int op = in.readByte("operation code");
    long clientId = in.readVarint("client id");
    int sequenceOffset = in.position();
    long sequence = in.readVarint("sequence number");
    if (sequence < 1) {
      // Unsigned: a varint above Long.MAX_VALUE reads as negative.
      throw in.error(sequenceOffset, "sequence number " + Long.toUnsignedString(sequence)
          + " is out of range (1.." + Long.MAX_VALUE + ")");
    }
    String key = in.readString("key");
    KvCommand command;
    switch (op) {
      case OP_GET -> command = new KvCommand.Get(key);
      case OP_PUT -> command = new KvCommand.Put(key, in.readString("value"));
      case OP_APPEND -> command = new KvCommand.Append(key, in.readString("value"));
      case OP_DELETE -> command = new KvCommand.Delete(key);
      default -> throw in.error(opOffset, "unknown operation code " + op + " (1 GET, 2 PUT, 3 APPEND, 4 DELETE)");
    }
    in.expectEnd();
    return new KvRequest(clientId, sequence, command);
  }

  static byte[] encode(KvResult result) {
    ByteWriter out = new ByteWriter();
    out.writeByte(VERSION);
    if (result instanceof KvResult.Ok) {
      out.writeByte(TAG_OK);
    } else if (result instanceof KvResult.Value value) {
      out.writeByte(TAG_VALUE);
      out.writeString("value", value.value());
    } else if (result instanceof KvResult.NotFound) {
      out.writeByte(TAG_NOT_FOUND);
    } else if (result instanceof KvResult.Rejected rejected) {
      out.writeByte(TAG_REJECTED);
      out.writeString("reason", rejected.reason());
    }
    return out.toByteArray();
  }

  static KvResult decodeResult(byte[] bytes) throws MalformedCommandException {
    ByteReader in = new ByteReader("result", bytes);
    in.readVersion(VERSION);
    int tagOffset = in.position();
    int tag = in.readByte("result tag");
    KvResult result;
    switch (tag) {
      case TAG_OK -> result = KvResult.OK;
      case TAG_VALUE -> result = new KvResult.Value(in.readString("value"));
      case TAG_NOT_FOUND -> result = KvResult.NOT_FOUND;
      case TAG_REJECTED -> result = new KvResult.Rejected(in.readString("reason"));
      default -> throw in.error(tagOffset, "unknown result tag " + tag + " (1 OK, 2 VALUE, 3 NOT_FOUND, 4 REJECTED)");
    }
    in.expectEnd();
    return result;
  }

  private static int opCode(KvCommand command) {
    if (command instanceof KvCommand.Get) {
      return OP_GET;
    } else if (command instanceof KvCommand.Put) {
      return OP_PUT;
    } else if (command instanceof KvCommand.Append) {
      return OP_APPEND;
    } else {
      return OP_DELETE;
    }
  }
}
