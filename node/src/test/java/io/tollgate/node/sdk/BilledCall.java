package io.tollgate.node.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.CatalogPrice;

/**
 * What a successful call should have left in the audit: who served it, the tokens the client saw
 * (prompt tokens counted the OpenAI way, cached ones included) and their price from the catalogue.
 */
record BilledCall(
    String clientApi, String model, String provider, long promptTokens, long cachedTokens, long outputTokens,
    boolean streamed) {

  /** The cost the catalogue's prices give for these tokens, in micro-dollars. */
  long expectedCostMicros() {
    return CatalogPrice.of(model).costMicros(promptTokens, cachedTokens, 0, outputTokens);
  }

  /** Checks the audit record and returns the cost it recorded. */
  long assertRecordedBy(JsonNode audit) {
    assertThat(audit.get("status").asInt()).as("status of %s", audit).isEqualTo(200);
    assertThat(audit.get("error_type").isNull()).as("error_type of %s", audit).isTrue();
    assertThat(audit.get("client_api").asText()).isEqualTo(clientApi);
    assertThat(audit.get("model").asText()).isEqualTo(model);
    assertThat(audit.get("provider").asText()).isEqualTo(provider);
    assertThat(audit.get("streamed").asBoolean()).isEqualTo(streamed);
    assertThat(audit.get("usage_estimated").asBoolean()).as("usage_estimated of %s", audit).isFalse();
    assertThat(audit.get("input_tokens").asLong()).as("input_tokens of %s", audit).isEqualTo(promptTokens);
    assertThat(audit.get("cached_tokens").asLong()).as("cached_tokens of %s", audit).isEqualTo(cachedTokens);
    assertThat(audit.get("output_tokens").asLong()).as("output_tokens of %s", audit).isEqualTo(outputTokens);
    long cost = audit.get("cost_micros").asLong();
    assertThat(cost).as("cost_micros of %s", audit).isEqualTo(expectedCostMicros()).isPositive();
    assertThat(CatalogPrice.usdToMicros(audit.get("cost_usd").asText())).isEqualTo(cost);
    return cost;
  }
}
