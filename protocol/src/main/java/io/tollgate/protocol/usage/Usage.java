package io.tollgate.protocol.usage;

/**
 * Token usage of one call, normalised across providers. {@code inputTokens} counts only uncached
 * input: OpenAI's {@code prompt_tokens} includes cached tokens and must be split; Anthropic's
 * {@code input_tokens} already excludes {@code cache_read_input_tokens} and
 * {@code cache_creation_input_tokens}.
 *
 * @param inputTokens uncached prompt tokens
 * @param cacheReadTokens prompt tokens served from the provider's prompt cache
 * @param cacheWriteTokens prompt tokens written to the provider's prompt cache (Anthropic)
 * @param outputTokens completion tokens, reasoning included
 * @param estimated true when counted by Tollgate (stream cut or abandoned before the provider
 *     reported usage) rather than reported by the provider
 */
public record Usage(
    long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens, boolean estimated) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, false);

  /** All prompt tokens, cached or not (OpenAI's {@code prompt_tokens}). */
  public long totalInputTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  public long totalTokens() {
    return totalInputTokens() + outputTokens;
  }

  /** From OpenAI's usage object, where {@code prompt_tokens} includes the cached ones. */
  public static Usage fromOpenAi(long promptTokens, long cachedTokens, long completionTokens) {
    return new Usage(Math.max(0, promptTokens - cachedTokens), cachedTokens, 0, completionTokens, false);
  }

  /** From Anthropic's usage object, where {@code input_tokens} excludes cache reads and writes. */
  public static Usage fromAnthropic(long inputTokens, long cacheRead, long cacheWrite, long outputTokens) {
    return new Usage(inputTokens, cacheRead, cacheWrite, outputTokens, false);
  }

  public Usage withEstimated(boolean value) {
    return new Usage(inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, value);
  }
}
