package io.tollgate.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.persistence.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/tenants/{t}/usage}: the summaries add up to the records they cover. */
class UsageSummaryTest {
  private final AuditApi api = AuditApi.get();

  /** 40 calls from 2025-01-30 to 2025-02-02 (two months), mixed keys, models, teams and failures. */
  private List<AuditRecord> calls(String tenant) {
    List<AuditRecord> all = new ArrayList<>();
    Instant start = Instant.parse("2025-01-30T00:30:00Z");
    for (int i = 0; i < 40; i++) {
      all.add(AuditApi.record(tenant, "req-" + i, start.plusSeconds(7_000L * i), "key-" + (i % 3), i % 4 == 0 ? "gpt" : "claude",
          i % 7 == 3 ? 500 : 200, i % 5 == 0 ? "blue" : null, 1_000L + 13L * i));
    }
    api.write(all.toArray(AuditRecord[]::new));
    return all;
  }

  @Test
  void per_key_model_and_day_rows_add_up_to_the_records() {
    String tenant = AuditApi.newTenant();
    List<AuditRecord> all = calls(tenant);

    JsonNode usage = api.ok(api.get("/admin/tenants/" + tenant + "/usage?from=2025-01-30&to=2025-02-02&group_by=model,key",
        AuditApi.ADMIN_TOKEN));

    Map<String, long[]> expected = new HashMap<>();
    for (AuditRecord r : all) {
      long[] t = expected.computeIfAbsent(r.day() + "|" + r.keyId() + "|" + r.logicalModel(), k -> new long[5]);
      t[0]++;
      t[1] += r.status() >= 400 ? 1 : 0;
      t[2] += r.inputTokens();
      t[3] += r.outputTokens();
      t[4] += r.costMicros();
    }
    Map<String, long[]> actual = new HashMap<>();
    usage.get("data").forEach(row -> actual.put(row.get("period").asText() + "|" + row.get("key_id").asText() + "|"
        + row.get("model").asText(), new long[] {row.get("requests").asLong(), row.get("failed_requests").asLong(),
        row.get("input_tokens").asLong(), row.get("output_tokens").asLong(), row.get("cost_micros").asLong()}));
    assertThat(actual).containsOnlyKeys(expected.keySet());
    expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).containsExactly(v));
    assertThat(usage.at("/total/requests").asLong()).isEqualTo(40);
    assertThat(usage.at("/total/cost_micros").asLong()).isEqualTo(all.stream().mapToLong(AuditRecord::costMicros).sum());
    assertThat(usage.get("group_by")).extracting(JsonNode::asText).containsExactly("key", "model");
  }

  @Test
  void per_month_the_tenant_total_splits_at_the_month_boundary() {
    String tenant = AuditApi.newTenant();
    List<AuditRecord> all = calls(tenant);

    JsonNode usage = api.ok(api.get("/admin/tenants/" + tenant + "/usage?from=2025-01-01&to=2025-02-28&period=month",
        AuditApi.ADMIN_TOKEN));

    assertThat(usage.get("data")).extracting(r -> r.get("period").asText()).containsExactly("2025-01", "2025-02");
    for (JsonNode row : usage.get("data")) {
      List<AuditRecord> month = all.stream().filter(r -> r.day().toString().startsWith(row.get("period").asText())).toList();
      assertThat(row.get("requests").asLong()).isEqualTo(month.size());
      assertThat(row.get("cost_micros").asLong()).isEqualTo(month.stream().mapToLong(AuditRecord::costMicros).sum());
      assertThat(row.get("cached_tokens").asLong()).isEqualTo(month.stream().mapToLong(AuditRecord::cachedTokens).sum());
      assertThat(row.has("key_id")).isFalse();
    }
  }

  @Test
  void per_team_with_a_filter_counts_only_the_matching_records_and_shows_no_team_as_null() {
    String tenant = AuditApi.newTenant();
    List<AuditRecord> all = calls(tenant);

    JsonNode usage = api.ok(api.get("/admin/tenants/" + tenant + "/usage?from=2025-01-30&to=2025-02-02&period=month"
        + "&group_by=team&model=gpt", AuditApi.ADMIN_TOKEN));

    long total = 0;
    for (JsonNode row : usage.get("data")) {
      String team = row.get("team").isNull() ? null : row.get("team").asText();
      String period = row.get("period").asText();
      long expected = all.stream().filter(r -> r.logicalModel().equals("gpt") && Objects.equals(r.team(), team)
          && r.day().toString().startsWith(period)).count();
      assertThat(row.get("requests").asLong()).as("%s %s", period, team).isEqualTo(expected);
      total += row.get("requests").asLong();
    }
    assertThat(total).isEqualTo(all.stream().filter(r -> r.logicalModel().equals("gpt")).count());
    assertThat(usage.get("data")).anySatisfy(r -> assertThat(r.get("team").isNull()).isTrue());
    assertThat(usage.get("data")).anySatisfy(r -> assertThat(r.get("team").asText()).isEqualTo("blue"));
  }
}
