package io.tollgate.protocol.translate;

import io.tollgate.protocol.anthropic.AnthropicClientCodec;
import io.tollgate.protocol.gemini.GeminiBackendCodec;

/** Anthropic Messages clients to Google Gemini providers. */
public final class AnthropicToGeminiChatTranslator extends HubChatTranslator {
  public AnthropicToGeminiChatTranslator() {
    super(AnthropicClientCodec.INSTANCE, GeminiBackendCodec.INSTANCE);
  }
}
