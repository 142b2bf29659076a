package io.tollgate.protocol.translate;

import io.tollgate.protocol.openai.OpenAiClientCodec;
import io.tollgate.protocol.anthropic.AnthropicBackendCodec;

/** OpenAI Chat Completions clients to Anthropic Messages providers. */
public final class OpenAiToAnthropicChatTranslator extends HubChatTranslator {
  public OpenAiToAnthropicChatTranslator() {
    super(OpenAiClientCodec.INSTANCE, AnthropicBackendCodec.INSTANCE);
  }
}
