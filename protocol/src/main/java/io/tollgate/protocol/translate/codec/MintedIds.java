package io.tollgate.protocol.translate.codec;

import java.security.SecureRandom;

/** Random parts of the ids a codec mints when the provider gave none in the client's shape. */
public final class MintedIds {
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private MintedIds() {}

  /** {@code length} random ASCII letters and digits. */
  public static String randomSuffix(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
