package io.tollgate.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.http.AuditJson;
import io.tollgate.persistence.audit.AuditRecord;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV exports for FinOps hold the same rows and numbers as the JSON answers. */
class AuditExportTest {
  private final AuditApi api = AuditApi.get();

  private List<AuditRecord> callsOverTwoDays(String tenant) {
    List<AuditRecord> all = new ArrayList<>();
    Instant start = Instant.parse("2025-04-30T20:00:00Z");
    for (int i = 0; i < 17; i++) {
      all.add(AuditApi.record(tenant, "req-" + i, start.plusSeconds(1800L * i), i % 2 == 0 ? "key-a" : "key-b",
          i % 3 == 0 ? "gpt, the \"big\" one" : "claude", i % 5 == 4 ? 502 : 200, i % 2 == 0 ? "red" : null, 300 + 7L * i));
    }
    api.write(all.toArray(AuditRecord[]::new));
    return all;
  }

  private static void assertSameRows(List<JsonNode> json, List<String> columns, String csv) {
    List<List<String>> rows = CsvParser.parse(csv);
    assertThat(rows.get(0)).containsExactlyElementsOf(columns);
    assertThat(rows).hasSize(json.size() + 1);
    for (int i = 0; i < json.size(); i++) {
      List<String> row = rows.get(i + 1);
      for (int c = 0; c < columns.size(); c++) {
        JsonNode v = json.get(i).get(columns.get(c));
        assertThat(row.get(c)).as("row %d column %s", i, columns.get(c)).isEqualTo(v.isNull() ? null : v.asText());
      }
    }
  }

  @Test
  void the_csv_export_of_records_equals_the_json_pages() {
    String tenant = AuditApi.newTenant();
    callsOverTwoDays(tenant);
    String query = "from=2025-04-30&to=2025-05-01&model=claude";
    List<JsonNode> json = new ArrayList<>();
    String token = null;
    do {
      JsonNode page = api.ok(api.get("/admin/tenants/" + tenant + "/audit?" + query + "&limit=4"
          + (token == null ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)), AuditApi.ADMIN_TOKEN));
      page.get("data").forEach(json::add);
      token = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asText();
    } while (token != null);

    HttpResponse<String> csv = api.get("/admin/tenants/" + tenant + "/audit?" + query + "&format=csv", AuditApi.ADMIN_TOKEN);

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
    assertThat(csv.headers().firstValue("content-disposition")).hasValueSatisfying(v -> assertThat(v).contains("attachment"));
    assertThat(json).hasSize(11);
    assertSameRows(json, AuditJson.FIELDS, csv.body());
  }

  @Test
  void quotes_commas_and_quotes_in_text_and_keeps_nulls_apart() {
    String tenant = AuditApi.newTenant();
    callsOverTwoDays(tenant);

    JsonNode json = api.ok(api.get("/admin/tenants/" + tenant + "/audit?from=2025-04-30&to=2025-05-01&limit=1000", AuditApi.ADMIN_TOKEN));
    String csv = api.get("/admin/tenants/" + tenant + "/audit?from=2025-04-30&to=2025-05-01&format=csv", AuditApi.ADMIN_TOKEN).body();

    List<JsonNode> rows = new ArrayList<>();
    json.get("data").forEach(rows::add);
    assertThat(csv).contains("\"gpt, the \"\"big\"\" one\"");
    assertSameRows(rows, AuditJson.FIELDS, csv);
  }

  @Test
  void the_csv_export_of_usage_equals_the_json_summary() {
    String tenant = AuditApi.newTenant();
    callsOverTwoDays(tenant);
    String query = "from=2025-04-30&to=2025-05-01&group_by=key,model";

    JsonNode json = api.ok(api.get("/admin/tenants/" + tenant + "/usage?" + query, AuditApi.ADMIN_TOKEN));
    HttpResponse<String> csv = api.get("/admin/tenants/" + tenant + "/usage?" + query + "&format=csv", AuditApi.ADMIN_TOKEN);

    List<JsonNode> rows = new ArrayList<>();
    json.get("data").forEach(rows::add);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(rows).hasSize(8);
    assertSameRows(rows, List.of("period", "tenant_id", "key_id", "model", "requests", "failed_requests",
        "input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "cost_micros", "cost_usd"), csv.body());
  }
}
