package io.tollgate.node.metrics;

import static io.tollgate.node.metrics.GatewayMetricsScrapeTest.awaitScrape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.FreshTenantTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An answer past its reservation (a provider that ignored {@code max_tokens} within one stream
 * chunk, which the gateway cannot stop part-way) is billed in full, settled exactly, and counted in
 * {@code tollgate_reservation_overruns_total}. A whole answer is read from the provider as a stream.
 */
@ExtendWith(RunningTelemetry.class)
class ReservationOverrunMetricTest extends FreshTenantTest {
  private static final Map<String, String> WHOLE_ON_FAKE_OPENAI =
      Map.of("provider", "fake-openai/gpt-4o-mini", "streamed", "false");

  @Test
  void a_whole_answer_past_its_reservation_within_one_chunk_is_billed_in_full_and_counted() {
    BudgetAdmin admin = new BudgetAdmin(gateway);
    admin.setLimits(tenant.id(), BudgetAdmin.usdLimit("tenant", "daily", "1.00"));
    double before = Scrape.of(Telemetry.prometheusPort()).total(MetricNames.PROM_RESERVATION_OVERRUNS, WHOLE_ON_FAKE_OPENAI);

    HttpResponse<String> r = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(),
        Calls.chatBody("demo-openai", "[[fake:ignore_max_tokens,burst,chunks=500]] go on", 8)));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Calls.json(r.body()).at("/usage/completion_tokens").asLong()).isEqualTo(500);
    JsonNode record = gateway.awaitAudit(tenant.id(), r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(record.get("output_tokens").asLong()).isEqualTo(500);
    awaitScrape(s -> assertThat(s.total(MetricNames.PROM_RESERVATION_OVERRUNS, WHOLE_ON_FAKE_OPENAI))
        .isEqualTo(before + 1));
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      JsonNode reconciled = admin.reconcile(tenant.id(), "daily");
      assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
      assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(record.get("cost_micros").asLong());
    });
  }
}
