package io.tollgate.node.metrics;

import static io.tollgate.node.metrics.GatewayMetricsScrapeTest.awaitScrape;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.FreshTenantTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls a throttle answers at once (429 {@code too_many_rejected_requests}, for a key refused too
 * often) are counted in {@code tollgate_throttled_calls_total}: they are neither recorded nor
 * reach any other series, so without it a flood of them would be invisible to operators.
 */
@ExtendWith(RunningTelemetry.class)
class ThrottledCallsMetricTest extends FreshTenantTest {
  private static final Map<String, String> BY_KEY = Map.of("reason", GatewayMetrics.THROTTLED_REJECTED_KEY);

  @Test
  void every_call_refused_by_the_key_throttle_is_counted() {
    double before = Scrape.of(Telemetry.prometheusPort()).total(MetricNames.PROM_THROTTLED_CALLS, BY_KEY);
    int throttled = 0;
    // the shared gateway allows 120 refused calls per key and minute: send bad ones until it throttles, then two more
    for (int i = 0; i < 400 && throttled < 3; i++) {
      HttpResponse<String> r = gateway.send(Calls.openAiChat(gateway.url(), tenant.key().secret(), "{not json"));
      if (r.statusCode() == 429) {
        assertThat(Calls.json(r.body()).path("error").path("code").asText()).isEqualTo("too_many_rejected_requests");
        throttled++;
      } else {
        assertThat(r.statusCode()).isEqualTo(400);
      }
    }
    assertThat(throttled).as("the key was throttled").isEqualTo(3);

    int expected = throttled;
    awaitScrape(s -> assertThat(s.total(MetricNames.PROM_THROTTLED_CALLS, BY_KEY)).isEqualTo(before + expected));
  }
}
