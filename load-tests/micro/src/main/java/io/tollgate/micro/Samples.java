package io.tollgate.micro;

import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The bodies the benchmarks work on: a chat request of about 1 KB and each provider's whole answer. */
final class Samples {
  private Samples() {}

  /** An OpenAI Chat Completions request of about 1 KB, {@code max_tokens: 16}, as the load test sends. */
  static final byte[] OPENAI_REQUEST = ("{\"model\":\"demo-openai\",\"max_tokens\":16,\"stream\":false,\"messages\":["
      + "{\"role\":\"system\",\"content\":\"You are a terse assistant. Answer in one short sentence and never add "
      + "a greeting, a sign-off or any formatting. If you do not know, say so plainly.\"},"
      + "{\"role\":\"user\",\"content\":\"" + "Summarise the following note in one line. ".repeat(4)
      + "The quarterly report shows revenue growing eight percent while costs stayed flat; the board asks "
      + "for a plan to keep margins as the company enters two new markets next year, with hiring focused on "
      + "sales and support and a cap on new office space. " + "Keep it short and plain. ".repeat(6) + "\"}]}")
      .getBytes(StandardCharsets.UTF_8);

  static final byte[] OPENAI_ANSWER = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1733600000,"
      + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
      + "\"Revenue up 8%, costs flat; board wants a margin plan for two new markets.\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":212,\"completion_tokens\":16,\"total_tokens\":228}}")
      .getBytes(StandardCharsets.UTF_8);

  static final byte[] ANTHROPIC_ANSWER = ("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-3-5-haiku-latest\",\"content\":[{\"type\":\"text\",\"text\":"
      + "\"Revenue up 8%, costs flat; board wants a margin plan for two new markets.\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":212,\"output_tokens\":16}}")
      .getBytes(StandardCharsets.UTF_8);

  static ProviderEndpoint endpoint(BackendSchema schema) {
    return new ProviderEndpoint("bench-" + schema.name().toLowerCase(java.util.Locale.ROOT), schema,
        "http://127.0.0.1:9", Secret.of("sk-bench-not-a-key"), null,
        schema == BackendSchema.ANTHROPIC ? "2023-06-01" : null, Map.of());
  }
}
