package io.tollgate.protocol.translate;

import io.tollgate.protocol.openai.OpenAiClientCodec;
import io.tollgate.protocol.openai.OpenAiBackendCodec;

/** OpenAI Chat Completions clients to OpenAI-schema providers (OpenAI, Azure, compatible bases). */
public final class OpenAiToOpenAiChatTranslator extends HubChatTranslator {
  public OpenAiToOpenAiChatTranslator() {
    super(OpenAiClientCodec.INSTANCE, OpenAiBackendCodec.INSTANCE);
  }
}
