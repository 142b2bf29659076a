package io.tollgate.protocol.anthropic;

import java.security.SecureRandom;

/** Ids in Anthropic's shapes ({@code msg_…}, {@code toolu_…}) for answers from other providers. */
final class AnthropicIds {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private AnthropicIds() {}

  /** The provider's id when it already is an Anthropic message id, else a fresh one. */
  static String messageId(String providerId) {
    return providerId != null && providerId.startsWith("msg_") ? providerId : "msg_" + random(24);
  }

  /** The provider's tool call id when it has one, else a fresh Anthropic-style one. */
  static String toolUseId(String providerId) {
    return providerId != null && !providerId.isEmpty() ? providerId : "toolu_" + random(24);
  }

  private static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
