package io.tollgate.protocol.translate;

import io.tollgate.protocol.anthropic.AnthropicClientCodec;
import io.tollgate.protocol.anthropic.AnthropicBackendCodec;

/** Anthropic Messages clients to Anthropic providers. */
public final class AnthropicToAnthropicChatTranslator extends HubChatTranslator {
  public AnthropicToAnthropicChatTranslator() {
    super(AnthropicClientCodec.INSTANCE, AnthropicBackendCodec.INSTANCE);
  }
}
