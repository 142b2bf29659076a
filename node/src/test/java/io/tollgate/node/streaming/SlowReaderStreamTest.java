package io.tollgate.node.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.PacedLineReader;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import io.tollgate.node.testing.TestGateway;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Clients that read slower than the provider writes: nothing lost, nothing reordered, nothing hoarded. */
class SlowReaderStreamTest {
  static TestGateway gateway;
  TestGateway.Tenant tenant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.get();
  }

  @BeforeEach
  void newTenant() {
    tenant = gateway.newTenant();
  }

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

  /**
   * A client that stops reading for longer than the provider idle timeout (3 s on the test node)
   * while the provider is held back by it: the provider was never silent, the client was slow, so
   * the stream must go on to its clean end instead of failing as an upstream timeout.
   */
  @Test
  void a_reader_pausing_longer_than_the_provider_idle_timeout_still_gets_the_whole_answer() {
    int chunks = 100_000; // far more than the socket buffers hold, so the provider is held back
    StreamingClient client = StreamingClient.OPENAI;
    HttpResponse<InputStream> paused =
        client.open(gateway, tenant.key().secret(), Backends.OPENAI, "[[fake:chunks=" + chunks + "]] a very long answer");
    List<SseFrame> frames = new ArrayList<>();
    try (SseReader reader = new SseReader(paused.body())) {
      for (int i = 0; i < 3; i++) {
        frames.add(reader.next());
      }
      // The pause: another call whose provider spends 3.6 s on its answer (1.2 s between chunks).
      StreamedAnswer slowCall =
          client.stream(gateway, tenant.key().secret(), Backends.ANTHROPIC, "[[fake:chunks=4,delay=1200]] hi");
      assertThat(slowCall.endedCleanly()).isTrue();
      frames.addAll(reader.rest());
    }
    StreamedAnswer answer = new StreamedAnswer(client, paused.statusCode(), "", client.requestId(paused), frames);

    assertThat(answer.errors()).isEmpty();
    assertThat(answer.endedCleanly()).isTrue();
    assertThat(answer.text()).isEqualTo(Backends.fakeText(chunks));
    JsonNode audit = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertThat(audit.get("status").asInt()).isEqualTo(200);
    assertThat(audit.get("output_tokens").asLong()).isEqualTo(chunks);
  }

  /**
   * The client reads three events and stops reading. Meanwhile a second client reads the same
   * answer at full speed to its end, so the provider has had every chance to finish the first one
   * too. It has not: when the first client finally leaves, the provider's stream is still open and
   * gets cancelled, and the gateway bills fewer tokens than the answer had. An unbounded buffer in
   * the gateway would have drained the provider (about 20 MB here, far more than the kernel's socket
   * buffers of a few MB on each hop) and completed it.
   */
  @Test
  void a_paused_reader_holds_the_provider_back_instead_of_the_gateway_buffering_the_stream() {
    int chunks = 100_000; // the fake's maximum
    String prompt = "[[fake:chunks=" + chunks + "]] a very long answer";
    StreamingClient client = StreamingClient.OPENAI;
    long cancelledBefore = gateway.fake.cancelledStreams();

    HttpResponse<InputStream> paused = client.open(gateway, tenant.key().secret(), Backends.OPENAI, prompt);
    try (SseReader reader = new SseReader(paused.body())) {
      for (int i = 0; i < 3; i++) {
        assertThat(reader.next()).isNotNull();
      }
      StreamedAnswer fullSpeed = client.stream(gateway, tenant.key().secret(), Backends.OPENAI, prompt);
      assertThat(fullSpeed.endedCleanly()).isTrue();
      assertThat(fullSpeed.text()).hasSize(Backends.fakeText(chunks).length());
      assertThat(gateway.fake.cancelledStreams()).as("nothing was cancelled yet").isEqualTo(cancelledBefore);
    }

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(gateway.fake.cancelledStreams())
            .as("the paused stream was still open at the provider").isGreaterThan(cancelledBefore));
    JsonNode audit = gateway.awaitAudit(tenant.id(), client.requestId(paused));
    assertThat(audit.get("status").asInt()).isEqualTo(499);
    assertThat(audit.get("output_tokens").asLong()).as("the gateway read only part of the answer").isPositive().isLessThan(chunks);
  }
}
