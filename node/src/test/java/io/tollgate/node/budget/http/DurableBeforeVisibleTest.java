package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.SseReader;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import io.tollgate.persistence.audit.AdmissionFaults;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable before visible: no answer (whole, or a stream's first byte) reaches the client before the
 * call's admission row is written; a call that cannot be made durable in time is refused with a 503
 * in the client's error shape, and what the provider used is still audited and settled alike.
 * The admission rows of the test's tenant are held back with {@link AdmissionFaults}, as a slow
 * Cassandra would.
 */
class DurableBeforeVisibleTest extends BudgetHttpTest {
  private static final String MODEL = "demo-openai";
  /** Shorter than tollgate.audit.admission-timeout (3 s), so a held answer is still released. */
  private static final Duration HELD = Duration.ofSeconds(1);

  private final CompletableFuture<Void> cassandra = new CompletableFuture<>();
  private final String marker = UUID.randomUUID().toString();

  @BeforeEach
  void budgetAndSlowAdmissionRows() {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "monthly", "5.00"));
    AdmissionFaults.hold(tenant.id(), cassandra);
  }

  @AfterEach
  void releaseAdmissionRows() {
    AdmissionFaults.release(tenant.id());
    cassandra.complete(null);
  }

  @Test
  void a_whole_answer_waits_for_the_calls_admission_row() throws Exception {
    CompletableFuture<HttpResponse<String>> answer = gateway.http().sendAsync(
        Calls.openAiChat(gateway.url(), tenant.key().secret(), Calls.chatBody(MODEL, marker + " say hello")),
        HttpResponse.BodyHandlers.ofString());

    awaitProviderCalled();
    Awaitility.await().during(HELD).atMost(HELD.plusSeconds(1)).until(() -> !answer.isDone());
    cassandra.complete(null);

    HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Calls.json(response.body()).at("/choices/0/message/content").asText()).isNotEmpty();
    JsonNode record = gateway.awaitAudit(tenant.id(), response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.get("status").asInt()).isEqualTo(200);
    assertSettledLikeTheAudit(List.of(record));
  }

  @Test
  void a_whole_answer_that_cannot_be_made_durable_is_refused_and_still_billed_as_audited() throws Exception {
    HttpResponse<String> response = gateway.send(
        Calls.openAiChat(gateway.url(), tenant.key().secret(), Calls.chatBody(MODEL, marker + " say hello")));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(StreamingClient.errorType(Calls.json(response.body()))).isEqualTo("audit_unavailable");
    assertThat(response.body()).doesNotContain("choices");
    JsonNode record = gateway.awaitAudit(tenant.id(), response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.get("status").asInt()).isEqualTo(503);
    assertThat(record.get("error_type").asText()).isEqualTo("audit_unavailable");
    assertThat(record.get("output_tokens").asLong()).as("what the provider answered is billed").isPositive();
    assertSettledLikeTheAudit(List.of(record));
  }

  @Test
  void a_streams_first_byte_waits_for_the_calls_admission_row() throws Exception {
    CompletableFuture<HttpResponse<InputStream>> opened = gateway.http().sendAsync(
        StreamingClient.OPENAI.request(gateway.url(), tenant.key().secret(), MODEL, marker + " say hello"),
        HttpResponse.BodyHandlers.ofInputStream());

    awaitProviderCalled();
    Awaitility.await().during(HELD).atMost(HELD.plusSeconds(1)).until(() -> !opened.isDone());
    cassandra.complete(null);

    HttpResponse<InputStream> response = opened.get(20, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    StreamedAnswer answer;
    try (SseReader reader = new SseReader(response.body())) {
      answer = new StreamedAnswer(StreamingClient.OPENAI, response.statusCode(),
          response.headers().firstValue("content-type").orElse(""), StreamingClient.OPENAI.requestId(response),
          reader.rest());
    }
    assertThat(answer.endedCleanly()).isTrue();
    assertSettledLikeTheAudit(List.of(gateway.awaitAudit(tenant.id(), answer.requestId())));
  }

  @Test
  void a_stream_that_cannot_be_made_durable_is_refused_before_its_first_byte_and_the_provider_cancelled() {
    long cancelledBefore = gateway.fake.cancelledStreams();
    HttpResponse<String> response = gateway.send(StreamingClient.OPENAI.request(gateway.url(), tenant.key().secret(),
        MODEL, "[[fake:chunks=400,delay=20]] " + marker + " write a long essay"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    assertThat(StreamingClient.errorType(Calls.json(response.body()))).isEqualTo("audit_unavailable");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.fake.cancelledStreams() > cancelledBefore);
    JsonNode record = gateway.awaitAudit(tenant.id(), response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.get("status").asInt()).isEqualTo(503);
    assertThat(record.get("error_type").asText()).isEqualTo("audit_unavailable");
    assertSettledLikeTheAudit(List.of(record));
  }

  private void awaitProviderCalled() {
    Awaitility.await("the provider call runs while the admission row is written").atMost(Duration.ofSeconds(10))
        .until(() -> gateway.fake.requests().stream().anyMatch(r -> r.body().contains(marker)));
  }

  private void assertSettledLikeTheAudit(List<JsonNode> records) {
    long audited = records.stream().mapToLong(r -> r.get("cost_micros").asLong()).sum();
    assertThat(audited).isPositive();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      JsonNode reconciled = admin.reconcile(tenant.id(), "monthly");
      assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
      assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(audited);
    });
  }
}
