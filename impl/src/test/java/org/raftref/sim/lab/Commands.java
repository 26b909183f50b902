package org.raftref.sim.lab;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Client commands as the lab's tests use them: numbers (sent as decimal text) and random text of a given
 * length. Never empty, because the empty command is a new leader's no-op entry in this project.
 */
final class Commands {

  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

  private Commands() {}

  static byte[] number(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** The number a command of {@link #number} carries. */
  static long asNumber(byte[] command) {
    String text = new String(command, StandardCharsets.US_ASCII);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new AssertionError("command '" + show(command) + "' is not a number");
    }
  }

  /** The lab's randstring: {@code length} random characters of the URL-safe base64 alphabet. */
  static byte[] text(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int k = 0; k < length; k++) {
      bytes[k] = (byte) ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return bytes;
  }

  /** A short printable form for failure messages. */
  static String show(byte[] command) {
    String text = new String(command, StandardCharsets.US_ASCII);
    return text.length() <= 24 ? text : text.substring(0, 20) + "...(" + command.length + " bytes)";
  }
}
