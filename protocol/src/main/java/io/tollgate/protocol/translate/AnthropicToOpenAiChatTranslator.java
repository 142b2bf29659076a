package io.tollgate.protocol.translate;

import io.tollgate.protocol.anthropic.AnthropicClientCodec;
import io.tollgate.protocol.openai.OpenAiBackendCodec;

/** Anthropic Messages clients to OpenAI-schema providers. */
public final class AnthropicToOpenAiChatTranslator extends HubChatTranslator {
  public AnthropicToOpenAiChatTranslator() {
    super(AnthropicClientCodec.INSTANCE, OpenAiBackendCodec.INSTANCE);
  }
}
