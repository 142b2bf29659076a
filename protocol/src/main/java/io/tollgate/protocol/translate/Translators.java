package io.tollgate.protocol.translate;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;

/** Creates the translator for a (client API × backend schema) pair, one per request. */
public final class Translators {
  private Translators() {}

  public static ChatTranslator chat(ClientApi client, BackendSchema backend) {
    return switch (client) {
      case OPENAI -> switch (backend) {
        case OPENAI -> new OpenAiToOpenAiChatTranslator();
        case ANTHROPIC -> new OpenAiToAnthropicChatTranslator();
        case GEMINI -> new OpenAiToGeminiChatTranslator();
      };
      case ANTHROPIC -> switch (backend) {
        case OPENAI -> new AnthropicToOpenAiChatTranslator();
        case ANTHROPIC -> new AnthropicToAnthropicChatTranslator();
        case GEMINI -> new AnthropicToGeminiChatTranslator();
      };
    };
  }

  public static EmbeddingsTranslator embeddings(BackendSchema backend) {
    return switch (backend) {
      case OPENAI -> new OpenAiEmbeddingsTranslator();
      case GEMINI -> new GeminiEmbeddingsTranslator();
      case ANTHROPIC -> throw new io.tollgate.protocol.GatewayException(
          io.tollgate.protocol.ErrorKind.INVALID_REQUEST, "this model does not serve embeddings", "model", null);
    };
  }
}
