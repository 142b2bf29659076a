package io.tollgate.protocol.provider;

import io.tollgate.protocol.BackendSchema;
import java.util.Map;

/**
 * Where and how to reach one provider account.
 *
 * @param name catalogue name, e.g. {@code openai}, {@code azure-eu}, {@code fake}
 * @param schema the wire schema it speaks
 * @param baseUrl scheme, host, port and optional path prefix, without trailing slash
 *     (e.g. {@code https://api.openai.com/v1}, {@code https://api.anthropic.com},
 *     {@code https://generativelanguage.googleapis.com})
 * @param apiKey the credential; sent as {@code Authorization: Bearer} (OpenAI schema),
 *     {@code api-key} (Azure), {@code x-api-key} (Anthropic), {@code x-goog-api-key} (Gemini)
 * @param azureApiVersion when non-null the endpoint is Azure OpenAI: the upstream model is the
 *     deployment name, the URL is {@code {baseUrl}/openai/deployments/{deployment}/chat/completions?api-version=...}
 * @param anthropicVersion value of the {@code anthropic-version} header for the Anthropic schema
 * @param extraHeaders provider quirks (e.g. an organisation header); never logged
 * @param outputCapField OpenAI schema: the field that carries the output cap, {@code max_tokens}
 *     (most OpenAI-compatible servers) or {@code max_completion_tokens} (OpenAI itself, whose
 *     reasoning models refuse {@code max_tokens}); null: the field the client used, else
 *     {@code max_tokens}
 */
public record ProviderEndpoint(
    String name,
    BackendSchema schema,
    String baseUrl,
    Secret apiKey,
    String azureApiVersion,
    String anthropicVersion,
    Map<String, String> extraHeaders,
    String outputCapField) {
  public static final String MAX_TOKENS = "max_tokens";
  public static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

  public ProviderEndpoint {
    if (outputCapField != null && !outputCapField.equals(MAX_TOKENS) && !outputCapField.equals(MAX_COMPLETION_TOKENS)) {
      throw new IllegalArgumentException("output-cap-field must be max_tokens or max_completion_tokens");
    }
  }

  /** An endpoint whose output cap goes where the client put it (else in {@code max_tokens}). */
  public ProviderEndpoint(String name, BackendSchema schema, String baseUrl, Secret apiKey, String azureApiVersion,
      String anthropicVersion, Map<String, String> extraHeaders) {
    this(name, schema, baseUrl, apiKey, azureApiVersion, anthropicVersion, extraHeaders, null);
  }

  public boolean isAzure() {
    return azureApiVersion != null && !azureApiVersion.isBlank();
  }
}
