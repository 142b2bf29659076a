package io.tollgate.node.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.time.Duration;

/**
 * The official OpenAI and Anthropic Java SDKs pointed at the test gateway with a tenant's key.
 * Retries are off so that a gateway error fails the test at once instead of being retried away.
 */
public final class SdkClients {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private SdkClients() {}

  public static OpenAIClient openAi(TestGateway gateway, String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(gateway.url() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(TIMEOUT)
        .build();
  }

  /** Authenticates with {@code x-api-key}, the SDK's default. */
  public static AnthropicClient anthropic(TestGateway gateway, String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(gateway.url())
        .apiKey(key)
        .maxRetries(0)
        .timeout(TIMEOUT)
        .build();
  }

  /** Authenticates with {@code Authorization: Bearer}, as newer Anthropic SDK releases do. */
  public static AnthropicClient anthropicWithBearer(TestGateway gateway, String key) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(gateway.url())
        .authToken(key)
        .maxRetries(0)
        .timeout(TIMEOUT)
        .build();
  }
}
