package io.tollgate.protocol.translate;

import io.tollgate.protocol.openai.OpenAiClientCodec;
import io.tollgate.protocol.gemini.GeminiBackendCodec;

/** OpenAI Chat Completions clients to Google Gemini generateContent providers. */
public final class OpenAiToGeminiChatTranslator extends HubChatTranslator {
  public OpenAiToGeminiChatTranslator() {
    super(OpenAiClientCodec.INSTANCE, GeminiBackendCodec.INSTANCE);
  }
}
