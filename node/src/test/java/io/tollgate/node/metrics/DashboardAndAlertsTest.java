package io.tollgate.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tollgate.protocol.ClientApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric the Grafana dashboard and the Prometheus alert rules query is one the node really
 * exports: found in a scrape after one call, stream, budget, lease and circuit update of each kind.
 * {@code up} is Prometheus' own.
 */
@ExtendWith(RunningTelemetry.class)
class DashboardAndAlertsTest {
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  private final String region = "test-" + UUID.randomUUID();

  @Test
  void every_dashboard_query_reads_metrics_the_node_exports() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(repoFile("k8s/grafana/tollgate-dashboard.json").toFile());
    Map<String, String> queries = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      int i = 0;
      for (JsonNode target : panel.path("targets")) {
        queries.put("panel '" + panel.path("title").asText() + "' #" + i++, target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        JsonNode query = variable.path("query");
        queries.put("variable $" + variable.path("name").asText(), query.isObject() ? query.path("query").asText() : query.asText());
      }
    }

    assertThat(queries).hasSizeGreaterThan(20);
    assertEveryQueryReadsExportedMetrics(queries);
  }

  @Test
  void every_alert_reads_metrics_the_node_exports() throws IOException {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(repoFile("k8s/prometheus/tollgate-alerts.yaml").toFile());
    Map<String, String> queries = new LinkedHashMap<>();
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        alerts.add(alert);
        assertThat(rule.path("labels").path("severity").asText()).as(alert).isNotBlank();
        assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
        queries.put("alert " + alert, rule.path("expr").asText());
      }
    }

    assertThat(alerts).contains(
        "TollgateNodeDown", "TollgateHighErrorRatio", "TollgateCircuitOpen", "TollgateP99LatencyHigh",
        "TollgateBudgetNearlyExhausted", "TollgateReservationOverrun");
    assertEveryQueryReadsExportedMetrics(queries);
  }

  @Test
  void metric_names_are_read_from_promql_without_functions_labels_or_variables() {
    assertThat(PromQlNames.in(
        "histogram_quantile(0.99, sum by (le, model) (rate(a_seconds_bucket{outcome=\"success\",tenant=~\"$tenant\"}[5m]))) > 1e6"))
        .containsExactly("a_seconds_bucket");
    assertThat(PromQlNames.in("label_values(tollgate_requests_total{region=~\"$region\"}, tenant)"))
        .containsExactly("tollgate_requests_total");
    assertThat(PromQlNames.in("sum(rate(x_total[$__rate_interval])) / sum(rate(y_total[5m])) and up{job=\"t\"} == 0"))
        .containsExactly("up", "x_total", "y_total");
  }

  private void assertEveryQueryReadsExportedMetrics(Map<String, String> queries) {
    Set<String> exported = exportedAfterOneOfEverything();
    queries.forEach((where, query) -> {
      Set<String> names = PromQlNames.in(query);
      assertThat(names).as(where + ": " + query).isNotEmpty();
      for (String name : names) {
        assertThat(PROMETHEUS_OWN.contains(name) || exported.contains(name))
            .as("%s reads %s, which the node does not export", where, name).isTrue();
      }
    });
  }

  private Set<String> exportedAfterOneOfEverything() {
    GatewayMetrics metrics = GatewayMetrics.create(RunningTelemetry.CONFIG, region);
    metrics.recordCall(new CallMetrics("acme", ClientApi.OPENAI, "demo-openai", "fake-openai", "gpt-4o-mini",
        true, 200, null, 100, 20, 10, 50, 900, 120));
    metrics.recordCall(new CallMetrics("acme", ClientApi.ANTHROPIC, "demo-anthropic", "fake-anthropic",
        "claude-sonnet-4-5", false, 502, "upstream_error", 0, 0, 0, 0, 300, -1));
    metrics.recordCall(new CallMetrics("acme", ClientApi.OPENAI, "demo-embed", "fake-openai",
        "text-embedding-3-small", false, 200, null, 30, 0, 0, 1, 40, -1), GenAiOperation.EMBEDDINGS);
    metrics.streamStarted();
    metrics.streamEnded();
    metrics.recordBudgetUtilisation("acme", 0.5);
    metrics.recordLeaseCount(1);
    metrics.recordCircuitState("fake-openai", GatewayMetrics.CIRCUIT_CLOSED);
    metrics.recordAttempt("fake-openai/gpt-4o-mini", "failure");
    metrics.recordReservationOverrun("fake-openai/gpt-4o-mini", true);
    metrics.recordThrottled(GatewayMetrics.THROTTLED_REJECTED_KEY);

    AtomicReference<Set<String>> names = new AtomicReference<>();
    GatewayMetricsScrapeTest.awaitScrape(s -> {
      Map<String, String> mine = Map.of("region", region);
      for (String family : MetricNames.PROMETHEUS_FAMILIES) {
        assertThat(s.find(family, mine).size() + s.find(family + "_count", mine).size()).as(family).isPositive();
      }
      names.set(s.names());
    });
    return names.get();
  }

  private static Path repoFile(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }
}
