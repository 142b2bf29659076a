package io.tollgate.node.chaos;

import io.tollgate.node.testing.CatalogPrice;
import io.tollgate.node.testing.ClientSpan;
import java.time.Instant;

/**
 * One chat request the chaos traffic sent and what the client received.
 *
 * @param loop which client loop sent it
 * @param label the loop's kind of traffic (which tenant and key, see {@link ChaosTraffic#start})
 * @param node index of the node it was sent to
 * @param sentAt when the client sent it (the client's clock)
 * @param doneAt when the client had the whole answer (the client's clock)
 * @param status the HTTP status; 0 when no answer came (connection error, e.g. the node was killed)
 * @param requestId {@code x-request-id} of the answer (null without one)
 * @param errorType {@code error.type} of an error answer or of an in-band stream error
 * @param streamed whether it was a streamed request
 * @param usage the usage the answer reported (the body's, or the stream's final usage chunk); null without one
 */
record ChaosCall(int loop, String label, int node, Instant sentAt, Instant doneAt, int status, String requestId,
    String errorType, boolean streamed, Usage usage) implements ClientSpan {

  /** {@code errorType} of a streamed answer that broke off after its headers: the client received part of it. */
  static final String CUT = "client: stream cut";

  /** What an answer reported it used. */
  record Usage(long promptTokens, long cachedTokens, long completionTokens) {}

  boolean admitted() {
    return status == 200;
  }

  boolean unanswered() {
    return status == 0;
  }

  /** A streamed answer that broke off (its node was killed mid-stream). */
  boolean cut() {
    return CUT.equals(errorType);
  }

  boolean is(String trafficLabel) {
    return label.equals(trafficLabel);
  }

  /** The cost of what the client received, by the catalogue price of {@code model}; 0 without usage. */
  long receivedCostMicros(String model) {
    return usage == null ? 0
        : CatalogPrice.of(model).costMicros(usage.promptTokens(), usage.cachedTokens(), 0, usage.completionTokens());
  }
}
