package io.tollgate.node.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stream that breaks after it began (headers and a 200 already sent) must end with an in-band
 * error in the client's own format and no clean end marker, and still bill what was streamed.
 */
class BrokenStreamTest extends FreshTenantTest {

  /** client, model, how the provider breaks the stream, and how many chunks of text got through before. */
  static Stream<Arguments> breaks() {
    return Backends.everyClientOnEveryBackend().flatMap(a -> Stream.of(
        Arguments.of(a.get()[0], a.get()[1], "cut=3", 3),
        Arguments.of(a.get()[0], a.get()[1], "malformed=2", 1)));
  }

  /** A provider that cuts the connection, or sends a chunk that is not JSON. */
  @ParameterizedTest(name = "{0} client, {1}, {2}")
  @MethodSource("breaks")
  void a_stream_that_breaks_after_it_began_ends_with_an_in_band_error_and_bills_what_was_streamed(
      StreamingClient client, String model, String directive, int chunksBeforeBreak) {
    StreamedAnswer answer = client.stream(gateway, tenant.key().secret(), model, "[[fake:" + directive + "]] tell me a story");

    assertThat(answer.text()).isEqualTo(Backends.fakeText(chunksBeforeBreak));
    assertEndsWithInBandError(answer, ExpectedError.UPSTREAM);
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertRecordedAsBrokenAndBilled(audit, ExpectedError.UPSTREAM);
  }

  /**
   * After a malformed chunk the client's stream is over, so the gateway stops the provider too:
   * tokens it would go on generating could be neither shown nor billed.
   */
  @ParameterizedTest(name = "{0} client, {1}")
  @MethodSource("io.tollgate.node.streaming.Backends#everyClientOnEveryBackend")
  void a_malformed_chunk_stops_the_provider_stream_at_once(StreamingClient client, String model) {
    long cancelledBefore = gateway.fake.cancelledStreams();

    StreamedAnswer answer = client.stream(gateway, tenant.key().secret(), model, "[[fake:malformed=2,chunks=200,delay=20]] tell me a story");

    assertEndsWithInBandError(answer, ExpectedError.UPSTREAM);
    Awaitility.await().atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(gateway.fake.cancelledStreams())
            .as("the provider's stream was cancelled, not read to its end").isGreaterThan(cancelledBefore));
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertThat(audit.get("output_tokens").asLong()).isPositive().isLessThan(200);
  }

  @ParameterizedTest(name = "{0} client, {1}")
  @MethodSource("io.tollgate.node.streaming.Backends#everyClientOnEveryBackend")
  void a_provider_error_inside_the_stream_reaches_the_client_in_its_own_format(StreamingClient client, String model) {
    // The fake sends an Anthropic stream error as overloaded_error, the others as a server error.
    ExpectedError expected = model.equals(Backends.ANTHROPIC) ? ExpectedError.OVERLOADED : ExpectedError.UPSTREAM;

    StreamedAnswer answer = client.stream(gateway, tenant.key().secret(), model, "[[fake:inband-error=2]] tell me a story");

    assertThat(answer.text()).isEqualTo(Backends.fakeText(2));
    assertEndsWithInBandError(answer, expected);
    assertThat(answer.last().json().at("/error/message").asText()).startsWith("provider: ");
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertRecordedAsBrokenAndBilled(audit, expected);
  }

  private static void assertEndsWithInBandError(StreamedAnswer answer, ExpectedError expected) {
    assertThat(answer.status()).as("headers went out before the failure").isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/event-stream");
    assertThat(answer.endedCleanly()).as("no [DONE] / message_stop after a failure").isFalse();
    assertThat(answer.errors()).as("exactly one in-band error").hasSize(1);
    SseFrame error = answer.last();
    assertThat(answer.client().isError(error)).as("the error is the last frame: %s", error).isTrue();
    assertThat(StreamingClient.errorType(error.json())).isEqualTo(expected.typeFor(answer.client()));
    assertThat(error.json().at("/error/message").asText()).isNotBlank();
  }

  private static void assertRecordedAsBrokenAndBilled(JsonNode audit, ExpectedError expected) {
    assertThat(audit.get("status").asInt()).isEqualTo(expected.status());
    assertThat(audit.get("error_type").asText()).isEqualTo(expected.auditType());
    assertThat(audit.get("streamed").asBoolean()).isTrue();
    assertThat(audit.get("output_tokens").asLong()).as("what was streamed is billed").isPositive();
    assertThat(audit.get("input_tokens").asLong()).isPositive();
    assertThat(audit.get("usage_estimated").asBoolean()).isTrue();
    assertThat(audit.get("cost_micros").asLong()).isPositive();
  }
}
