package io.tollgate.node.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import io.tollgate.node.testing.StreamingClient;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that walks away mid-stream: the gateway cancels the provider request (no more tokens
 * are generated for nobody) and bills the tokens that were streamed until then.
 */
class ClientDisconnectStreamTest extends FreshTenantTest {

  private static final int CHUNKS = 200;

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of(StreamingClient.OPENAI, Backends.OPENAI),
        Arguments.of(StreamingClient.ANTHROPIC, Backends.ANTHROPIC),
        Arguments.of(StreamingClient.ANTHROPIC, Backends.GEMINI));
  }

  @ParameterizedTest(name = "{0} client, {1}")
  @MethodSource("clients")
  void a_client_that_disconnects_mid_stream_cancels_the_provider_and_is_billed_for_what_it_got(
      StreamingClient client, String model) {
    long cancelledBefore = gateway.fake.cancelledStreams();
    HttpResponse<InputStream> response =
        client.open(gateway, tenant.key().secret(), model, "[[fake:chunks=" + CHUNKS + ",delay=20]] write a long essay");
    assertThat(response.statusCode()).isEqualTo(200);

    StringBuilder received = new StringBuilder();
    try (SseReader reader = new SseReader(response.body())) {
      int deltas = 0;
      while (deltas < 5) {
        SseFrame frame = reader.next();
        assertThat(frame).as("the stream went on").isNotNull();
        String text = client.text(frame);
        if (!text.isEmpty()) {
          received.append(text);
          deltas++;
        }
      }
    } // closing the body is the client going away
    assertThat(received.toString()).isEqualTo(Backends.fakeText(5));

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(gateway.fake.cancelledStreams())
            .as("the provider's stream was cancelled").isGreaterThan(cancelledBefore));
    JsonNode audit = gateway.awaitAudit(tenant.id(), client.requestId(response));
    assertThat(audit.get("status").asInt()).isEqualTo(499);
    assertThat(audit.get("error_type").asText()).isEqualTo("client_disconnected");
    assertThat(audit.get("streamed").asBoolean()).isTrue();
    assertThat(audit.get("output_tokens").asLong()).isPositive().isLessThan(CHUNKS);
    assertThat(audit.get("usage_estimated").asBoolean()).isTrue();
    assertThat(audit.get("cost_micros").asLong()).isPositive();
  }
}
