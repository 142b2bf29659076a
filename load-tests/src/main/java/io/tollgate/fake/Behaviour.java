package io.tollgate.fake;

/**
 * How the fake provider answers: timing, answer length and an optional failure mode.
 *
 * <p>Resolved per request, field by field: a {@code [[fake:...]]} directive in the last user
 * message wins, then the behaviour set with {@link FakeProvider#setBehaviour}, then the settings.
 *
 * @param latencyMillis delay before the response headers
 * @param ttftMillis delay between the headers and the first streamed frame
 * @param chunks words in the reply (one per streamed chunk); also the completion token count
 * @param chunkDelayMillis delay between two streamed chunks
 * @param failure the failure to inject
 * @param failureAfterChunks N of {@link Failure#CUT_AFTER_N}, {@link Failure#MALFORMED_CHUNK} (1-based
 *     index of the broken chunk) and {@link Failure#IN_BAND_ERROR}
 * @param retryAfterSeconds value of {@code retry-after} on a 429
 * @param cachedTokens prompt tokens reported as read from the provider's prompt cache
 * @param ignoreMaxTokens answer with all {@code chunks} words even past the request's output cap
 *     ({@code max_tokens}, {@code max_completion_tokens}, {@code maxOutputTokens}): a provider that
 *     misbehaves; by default the answer stops at the cap with the provider's length finish reason
 * @param burst stream the whole reply text in one chunk (a provider whose single chunk can carry
 *     any amount of output)
 */
public record Behaviour(
    long latencyMillis,
    long ttftMillis,
    int chunks,
    long chunkDelayMillis,
    Failure failure,
    int failureAfterChunks,
    int retryAfterSeconds,
    int cachedTokens,
    boolean ignoreMaxTokens,
    boolean burst) {

  /** A failure mode; see the README for each provider's wire shape. */
  public enum Failure {
    NONE,
    STATUS_429,
    STATUS_500,
    /** Anthropic 529 {@code overloaded_error}; 503 on OpenAI and Gemini paths. */
    STATUS_529,
    /** Never answers; the request stays open until the client gives up. */
    HANG,
    /** Aborts the response after N chunks, without the stream's end marker. */
    CUT_AFTER_N,
    /** Chunk N carries broken JSON; the stream otherwise continues normally. */
    MALFORMED_CHUNK,
    /** After N chunks, an error event in the provider's stream shape, then the stream ends. */
    IN_BAND_ERROR
  }

  public Behaviour {
    if (chunks < 1) {
      throw new IllegalArgumentException("chunks must be at least 1");
    }
    if (latencyMillis < 0 || ttftMillis < 0 || chunkDelayMillis < 0 || failureAfterChunks < 0
        || retryAfterSeconds < 0 || cachedTokens < 0) {
      throw new IllegalArgumentException("behaviour values must not be negative");
    }
    failure = failure == null ? Failure.NONE : failure;
  }

  /** Zero latency, 8 chunks, no failure. */
  public static Behaviour defaults() {
    return new Behaviour(0, 0, 8, 0, Failure.NONE, 0, 1, 0, false, false);
  }

  public Behaviour withLatencyMillis(long v) {
    return new Behaviour(v, ttftMillis, chunks, chunkDelayMillis, failure, failureAfterChunks,
        retryAfterSeconds, cachedTokens, ignoreMaxTokens, burst);
  }

  public Behaviour withTtftMillis(long v) {
    return new Behaviour(latencyMillis, v, chunks, chunkDelayMillis, failure, failureAfterChunks,
        retryAfterSeconds, cachedTokens, ignoreMaxTokens, burst);
  }

  public Behaviour withChunks(int v) {
    return new Behaviour(latencyMillis, ttftMillis, v, chunkDelayMillis, failure, failureAfterChunks,
        retryAfterSeconds, cachedTokens, ignoreMaxTokens, burst);
  }

  public Behaviour withChunkDelayMillis(long v) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, v, failure, failureAfterChunks,
        retryAfterSeconds, cachedTokens, ignoreMaxTokens, burst);
  }

  public Behaviour withFailure(Failure v) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, chunkDelayMillis, v, failureAfterChunks,
        retryAfterSeconds, cachedTokens, ignoreMaxTokens, burst);
  }

  /** A failure that happens after (or, for a malformed chunk, at) chunk {@code n}. */
  public Behaviour withFailure(Failure v, int n) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, chunkDelayMillis, v, n,
        retryAfterSeconds, cachedTokens, ignoreMaxTokens, burst);
  }

  public Behaviour withRetryAfterSeconds(int v) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, chunkDelayMillis, failure,
        failureAfterChunks, v, cachedTokens, ignoreMaxTokens, burst);
  }

  public Behaviour withIgnoreMaxTokens(boolean v) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, chunkDelayMillis, failure,
        failureAfterChunks, retryAfterSeconds, cachedTokens, v, burst);
  }

  public Behaviour withBurst(boolean v) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, chunkDelayMillis, failure,
        failureAfterChunks, retryAfterSeconds, cachedTokens, ignoreMaxTokens, v);
  }

  public Behaviour withCachedTokens(int v) {
    return new Behaviour(latencyMillis, ttftMillis, chunks, chunkDelayMillis, failure,
        failureAfterChunks, retryAfterSeconds, v, ignoreMaxTokens, burst);
  }
}
