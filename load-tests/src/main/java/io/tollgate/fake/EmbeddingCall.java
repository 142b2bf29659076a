package io.tollgate.fake;

import java.util.List;

/**
 * An embeddings request in any provider format.
 *
 * @param model echoed model
 * @param inputs the texts to embed (token-id inputs as their JSON text)
 * @param dimensions requested dimensions
 * @param base64 OpenAI {@code encoding_format: "base64"}
 * @param promptTokens words of the inputs (token-id inputs: their length)
 * @param single Gemini {@code :embedContent} (one {@code embedding}) rather than a batch
 */
record EmbeddingCall(
    String model, List<String> inputs, int dimensions, boolean base64, int promptTokens, boolean single) {

  /** The last input: where directives live. */
  String lastInput() {
    return inputs.isEmpty() ? "" : inputs.get(inputs.size() - 1);
  }
}
