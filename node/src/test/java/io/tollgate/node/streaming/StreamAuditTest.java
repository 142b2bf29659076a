package io.tollgate.node.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a successful stream leaves in the audit: the provider's own usage, and when its first token came. */
class StreamAuditTest extends FreshTenantTest {

  @ParameterizedTest(name = "{0} client, {1}")
  @MethodSource("io.tollgate.node.streaming.Backends#everyClientOnEveryBackend")
  void a_clean_stream_is_recorded_with_the_usage_the_provider_reported(StreamingClient client, String model) {
    // The fake counts 5 words + 3 for the one message as prompt tokens, and one token per chunk.
    StreamedAnswer answer = client.stream(gateway, tenant.key().secret(), model, "[[fake:chunks=6]] count to four please");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo(Backends.fakeText(6));
    assertThat(answer.endedCleanly()).isTrue();
    assertThat(answer.errors()).isEmpty();
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertThat(audit.get("status").asInt()).isEqualTo(200);
    assertThat(audit.get("error_type").isNull()).as("no error type: %s", audit).isTrue();
    assertThat(audit.get("streamed").asBoolean()).isTrue();
    assertThat(audit.get("client_api").asText()).isEqualTo(client.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(audit.get("input_tokens").asLong()).isEqualTo(8);
    assertThat(audit.get("output_tokens").asLong()).isEqualTo(6);
    assertThat(audit.get("usage_estimated").asBoolean()).isFalse();
    assertThat(audit.get("cost_micros").asLong()).isPositive();
  }

  @ParameterizedTest(name = "{0} client, {1}")
  @MethodSource("io.tollgate.node.streaming.Backends#everyClientOnEveryBackend")
  void time_to_first_token_is_recorded_from_the_providers_first_token(StreamingClient client, String model) {
    StreamedAnswer answer = client.stream(gateway, tenant.key().secret(), model, "[[fake:ttft=200]] hello");

    assertThat(answer.endedCleanly()).isTrue();
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertThat(audit.get("ttft_ms").asLong()).isGreaterThanOrEqualTo(200).isLessThanOrEqualTo(audit.get("latency_ms").asLong());
  }
}
