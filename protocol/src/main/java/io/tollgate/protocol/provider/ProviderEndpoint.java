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
 */
public record ProviderEndpoint(
    String name,
    BackendSchema schema,
    String baseUrl,
    Secret apiKey,
    String azureApiVersion,
    String anthropicVersion,
    Map<String, String> extraHeaders) {

  public boolean isAzure() {
    return azureApiVersion != null && !azureApiVersion.isBlank();
  }
}
