package io.tollgate.node.testing;

import java.time.Instant;

/**
 * What a client received for one chat call: when it sent it and when the answer ended (by its own
 * clock), the status, the request id header, and the usage the answer reported (the body's
 * {@code usage} or, streamed, the final usage chunk).
 *
 * @param node index of the node the call went to
 * @param status HTTP status; 0 when no answer came (connection error)
 * @param requestId {@code x-request-id}; null without an answer
 * @param hasUsage whether the answer carried a usage object
 * @param promptTokens {@code usage.prompt_tokens} (cached ones included)
 * @param cachedTokens {@code usage.prompt_tokens_details.cached_tokens}
 * @param completionTokens {@code usage.completion_tokens}
 * @param streamed whether it was a streamed call
 * @param cleanEnd streamed: whether {@code [DONE]} arrived
 * @param errorType {@code error.type} of an error answer or of an in-band stream error
 */
public record ReceivedAnswer(
    String key, int node, Instant sentAt, Instant doneAt, int status, String requestId, boolean hasUsage,
    long promptTokens, long cachedTokens, long completionTokens, boolean streamed, boolean cleanEnd,
    String errorType) implements ClientSpan {

  public boolean ok() {
    return status == 200;
  }

  public boolean unanswered() {
    return status == 0;
  }

  /** The answer's cost by the catalogue price of {@code model}, as a client would work it out from the usage. */
  public long costMicros(String model) {
    return hasUsage ? CatalogPrice.of(model).costMicros(promptTokens, cachedTokens, 0, completionTokens) : 0;
  }

  /** Prompt plus completion tokens the answer reported. */
  public long tokens() {
    return promptTokens + completionTokens;
  }
}
