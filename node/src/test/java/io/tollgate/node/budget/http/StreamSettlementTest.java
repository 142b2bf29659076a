package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import io.tollgate.node.testing.StreamedAnswer;
import io.tollgate.node.testing.StreamingClient;
import io.tollgate.protocol.usage.TokenCounter;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams that do not end cleanly are still settled against the budget with what was streamed, to
 * the micro-dollar of their audit records.
 */
class StreamSettlementTest extends BudgetHttpTest {
  private static final String MODEL = "demo-openai";

  @BeforeEach
  void budgetOfFiveDollars() {
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "monthly", "5.00"));
  }

  @Test
  void a_stream_the_client_abandons_is_settled_with_what_was_streamed() {
    HttpResponse<InputStream> response = StreamingClient.OPENAI.open(gateway, tenant.key().secret(), MODEL,
        "[[fake:chunks=200,delay=20]] write a long essay");
    assertThat(response.statusCode()).isEqualTo(200);
    StringBuilder read = new StringBuilder();
    try (SseReader reader = new SseReader(response.body())) {
      int deltas = 0;
      while (deltas < 3) {
        SseFrame frame = reader.next();
        assertThat(frame).as("the stream went on").isNotNull();
        String text = StreamingClient.OPENAI.text(frame);
        if (!text.isEmpty()) {
          read.append(text);
          deltas++;
        }
      }
    } // closing the body is the client going away

    JsonNode record = gateway.awaitAudit(tenant.id(), StreamingClient.OPENAI.requestId(response));
    assertThat(record.get("status").asInt()).isEqualTo(499);
    // Billed at least what the client read, and far less than the 200-word answer it never got.
    assertThat(record.get("output_tokens").asLong()).as("billed output of the abandoned stream")
        .isGreaterThanOrEqualTo(TokenCounter.count(read.toString()))
        .isLessThan(200);
    assertSettledLikeTheAudit(List.of(record));
  }

  @Test
  void a_stream_the_provider_cuts_is_settled_with_what_was_streamed() {
    StreamedAnswer answer = StreamingClient.OPENAI.stream(gateway, tenant.key().secret(), MODEL,
        "[[fake:cut=3]] tell me a story");
    assertThat(answer.endedCleanly()).isFalse();

    JsonNode record = gateway.awaitAudit(tenant.id(), answer.requestId());
    assertThat(answer.text()).as("text received before the cut").isNotEmpty();
    assertThat(record.get("output_tokens").asLong()).as("billed output == the text the client received")
        .isEqualTo(TokenCounter.count(answer.text()));
    assertSettledLikeTheAudit(List.of(record));
  }

  private void assertSettledLikeTheAudit(List<JsonNode> records) {
    long audited = 0;
    for (JsonNode r : records) {
      assertThat(r.get("lease_id").asText("")).as("lease of %s", r.get("request_id")).isNotBlank();
      assertThat(r.get("output_tokens").asLong()).isPositive();
      audited += r.get("cost_micros").asLong();
    }
    assertThat(audited).isPositive();
    long expected = audited;
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      JsonNode reconciled = admin.reconcile(tenant.id(), "monthly");
      assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
      assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(expected);
      assertThat(admin.spendLine(tenant.id(), "tenant", "usd").get("spent").asLong()).isEqualTo(expected);
    });
  }
}
