package io.tollgate.protocol.anthropic;

import io.tollgate.protocol.translate.codec.MintedIds;

/** Ids in Anthropic's shapes ({@code msg_…}, {@code toolu_…}) for answers from other providers. */
final class AnthropicIds {
  private AnthropicIds() {}

  /** The provider's id when it already is an Anthropic message id, else a fresh one. */
  static String messageId(String providerId) {
    return providerId != null && providerId.startsWith("msg_") ? providerId : "msg_" + MintedIds.randomSuffix(24);
  }

  /** The provider's tool call id when it has one, else a fresh Anthropic-style one. */
  static String toolUseId(String providerId) {
    return providerId != null && !providerId.isEmpty() ? providerId : "toolu_" + MintedIds.randomSuffix(24);
  }
}
