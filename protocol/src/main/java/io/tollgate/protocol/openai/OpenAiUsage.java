package io.tollgate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.usage.Usage;

/** OpenAI's {@code usage} object, where {@code prompt_tokens} includes the cached tokens. */
public final class OpenAiUsage {
  private OpenAiUsage() {}

  public static ObjectNode render(Usage usage) {
    ObjectNode u = Json.MAPPER.createObjectNode();
    u.put("prompt_tokens", usage.totalInputTokens());
    u.put("completion_tokens", usage.outputTokens());
    u.put("total_tokens", usage.totalTokens());
    u.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
    return u;
  }

  /** Null when the node is absent or null. */
  public static Usage parse(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return null;
    }
    return Usage.fromOpenAi(
        usage.path("prompt_tokens").asLong(0),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0));
  }
}
