package io.tollgate.node.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.PacedLineReader;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients that read slower than the provider writes, asking for one line at a time: nothing is
 * lost or reordered and the stream ends cleanly. (Whether the provider is held back is not asserted
 * here: the fake's largest answer, about 20 MB, is within a small factor of what the socket and
 * stream buffers between fake, node and client hold, so no such test would be reliable.)
 */
class SlowReaderStreamTest extends FreshTenantTest {

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of(StreamingClient.OPENAI, Backends.GEMINI),
        Arguments.of(StreamingClient.ANTHROPIC, Backends.OPENAI));
  }

  @ParameterizedTest(name = "{0} client, {1}")
  @MethodSource("clients")
  void a_slow_reader_receives_every_chunk_in_order_and_a_clean_end(StreamingClient client, String model) throws Exception {
    int chunks = 120;
    PacedLineReader slow = new PacedLineReader(Duration.ofMillis(2));
    HttpResponse<Void> response = gateway.http().send(
        client.request(gateway.url(), tenant.key().secret(), model, "[[fake:chunks=" + chunks + "]] count slowly"),
        HttpResponse.BodyHandlers.fromLineSubscriber(slow));
    List<SseFrame> frames = slow.frames().get(30, TimeUnit.SECONDS);
    StreamedAnswer answer = new StreamedAnswer(client, response.statusCode(), "", client.requestId(response), frames);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo(Backends.fakeText(chunks));
    assertThat(answer.errors()).isEmpty();
    assertThat(answer.endedCleanly()).isTrue();
    assertThat(client.isCleanEnd(answer.last())).as("the end marker is the last frame").isTrue();
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertThat(audit.get("status").asInt()).isEqualTo(200);
    assertThat(audit.get("output_tokens").asLong()).isEqualTo(chunks);
  }
}
