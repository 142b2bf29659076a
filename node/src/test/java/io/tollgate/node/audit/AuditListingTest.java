package io.tollgate.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.persistence.audit.AuditRecord;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/tenants/{t}/audit}: ranges over several days, filters and paging. */
class AuditListingTest {
  private static final LocalDate DAY = LocalDate.of(2025, 2, 27);
  private final AuditApi api = AuditApi.get();

  /** 24 calls over three days (2025-02-27 to 2025-03-01, across a month end), 8 a day, 3 hours apart. */
  private List<AuditRecord> threeDaysOfCalls(String tenant) {
    List<AuditRecord> all = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Instant time = DAY.plusDays(i / 8).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3 * 3600L * (i % 8) + i);
      all.add(AuditApi.record(tenant, String.format("req-%02d", i), time, i % 3 == 0 ? "key-a" : "key-b",
          i % 2 == 0 ? "gpt" : "claude", i % 6 == 5 ? 429 : 200, i % 4 == 0 ? "red" : null, 1000 + i));
    }
    api.write(all.toArray(AuditRecord[]::new));
    return all;
  }

  private static List<String> newestFirstIds(List<AuditRecord> records) {
    return records.stream().sorted(Comparator.comparing(AuditRecord::time).reversed()).map(AuditRecord::requestId).toList();
  }

  private List<JsonNode> allPages(String tenant, String query, List<Integer> pageSizes) {
    List<JsonNode> records = new ArrayList<>();
    String token = null;
    do {
      String path = "/admin/tenants/" + tenant + "/audit?" + query
          + (token == null ? "" : "&page_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
      JsonNode page = api.ok(api.get(path, AuditApi.ADMIN_TOKEN));
      pageSizes.add(page.get("data").size());
      page.get("data").forEach(records::add);
      assertThat(page.get("has_more").asBoolean()).isEqualTo(!page.get("next_page_token").isNull());
      token = page.get("next_page_token").isNull() ? null : page.get("next_page_token").asText();
    } while (token != null);
    return records;
  }

  @Test
  void pages_through_a_range_of_several_days_newest_first_without_gaps_or_repeats() {
    String tenant = AuditApi.newTenant();
    List<AuditRecord> all = threeDaysOfCalls(tenant);

    List<Integer> sizes = new ArrayList<>();
    List<JsonNode> seen = allPages(tenant, "from=2025-02-27&to=2025-03-01&limit=5", sizes);

    assertThat(seen).extracting(r -> r.get("request_id").asText()).containsExactlyElementsOf(newestFirstIds(all));
    assertThat(sizes).containsExactly(5, 5, 5, 5, 4);
  }

  @Test
  void filters_by_key_model_status_and_team_on_every_page() {
    String tenant = AuditApi.newTenant();
    List<AuditRecord> all = threeDaysOfCalls(tenant);

    List<JsonNode> okGptOfKeyB = allPages(tenant, "from=2025-02-27&to=2025-03-01&limit=2&key=key-b&model=gpt&status=2xx",
        new ArrayList<>());
    List<JsonNode> throttled = allPages(tenant, "from=2025-02-27&to=2025-03-01&status=429", new ArrayList<>());
    List<JsonNode> red = allPages(tenant, "from=2025-02-27&to=2025-03-01&team=red&limit=3", new ArrayList<>());

    assertThat(okGptOfKeyB).extracting(r -> r.get("request_id").asText()).containsExactlyElementsOf(newestFirstIds(
        all.stream().filter(r -> r.keyId().equals("key-b") && r.logicalModel().equals("gpt") && r.status() == 200).toList()));
    assertThat(okGptOfKeyB).isNotEmpty().allSatisfy(r -> {
      assertThat(r.get("key_id").asText()).isEqualTo("key-b");
      assertThat(r.get("model").asText()).isEqualTo("gpt");
      assertThat(r.get("status").asInt()).isEqualTo(200);
    });
    assertThat(throttled).hasSize(4).allSatisfy(r -> assertThat(r.get("status").asInt()).isEqualTo(429));
    assertThat(red).hasSize(6).allSatisfy(r -> assertThat(r.get("team").asText()).isEqualTo("red"));
  }

  @Test
  void a_time_range_inside_a_day_and_a_single_day_keep_only_their_records() {
    String tenant = AuditApi.newTenant();
    List<AuditRecord> all = threeDaysOfCalls(tenant);
    Instant from = Instant.parse("2025-02-28T05:00:00Z");
    Instant to = Instant.parse("2025-02-28T13:00:00Z");

    JsonNode window = api.ok(api.get("/admin/tenants/" + tenant + "/audit?from=" + from + "&to=" + to, AuditApi.ADMIN_TOKEN));
    JsonNode day = api.ok(api.get("/admin/tenants/" + tenant + "/audit?day=2025-03-01", AuditApi.ADMIN_TOKEN));

    assertThat(window.get("data")).extracting(r -> r.get("request_id").asText()).containsExactlyElementsOf(newestFirstIds(
        all.stream().filter(r -> !r.time().isBefore(from) && r.time().isBefore(to)).toList()));
    assertThat(window.get("data")).hasSize(3);
    assertThat(day.get("data")).extracting(r -> r.get("time").asText()).hasSize(8).allMatch(t -> t.startsWith("2025-03-01"));
  }

  @Test
  void shows_every_field_of_a_record_including_team_and_lease() {
    String tenant = AuditApi.newTenant();
    AuditRecord r = AuditApi.record(tenant, "req-1", Instant.parse("2025-02-27T10:00:00.250Z"), "key-a", "gpt", 200, "red", 1234);
    api.write(r);

    JsonNode shown = api.ok(api.get("/admin/tenants/" + tenant + "/audit?day=2025-02-27", AuditApi.ADMIN_TOKEN)).get("data").get(0);

    assertThat(shown.get("request_id").asText()).isEqualTo("req-1");
    assertThat(shown.get("time").asText()).isEqualTo("2025-02-27T10:00:00.250Z");
    assertThat(shown.get("team").asText()).isEqualTo("red");
    assertThat(shown.get("lease_id").asText()).isEqualTo("lease-0");
    assertThat(shown.get("cost_micros").asLong()).isEqualTo(1234);
    assertThat(shown.get("cost_usd").asText()).isEqualTo("0.001234");
    assertThat(shown.get("input_tokens").asLong()).isEqualTo(r.inputTokens());
  }

  @Test
  void without_parameters_lists_todays_records() {
    String tenant = AuditApi.newTenant();
    AuditRecord today = AuditApi.record(tenant, "req-today", Instant.now(), "key-a", "gpt", 200, null, 1);
    AuditRecord yesterday = AuditApi.record(tenant, "req-yesterday", Instant.now().minusSeconds(86_400), "key-a", "gpt", 200, null, 1);
    api.write(today, yesterday);

    JsonNode page = api.ok(api.get("/admin/tenants/" + tenant + "/audit", AuditApi.ADMIN_TOKEN));

    assertThat(page.get("data")).extracting(r -> r.get("request_id").asText()).containsExactly("req-today");
  }

  @Test
  void a_page_token_works_only_for_its_tenant_and_filters_and_cannot_be_altered() {
    String tenant = AuditApi.newTenant();
    String other = AuditApi.newTenant();
    threeDaysOfCalls(tenant);
    threeDaysOfCalls(other);
    String token = api.ok(api.get("/admin/tenants/" + tenant + "/audit?day=2025-02-27&limit=2", AuditApi.ADMIN_TOKEN))
        .get("next_page_token").asText();
    String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
    String forged = URLEncoder.encode(forge(token, other), StandardCharsets.UTF_8);

    HttpResponse<String> sameQuery = api.get("/admin/tenants/" + tenant + "/audit?day=2025-02-27&limit=2&page_token=" + encoded, AuditApi.ADMIN_TOKEN);
    HttpResponse<String> otherTenant = api.get("/admin/tenants/" + other + "/audit?day=2025-02-27&page_token=" + encoded, AuditApi.ADMIN_TOKEN);
    HttpResponse<String> otherFilter = api.get("/admin/tenants/" + tenant + "/audit?day=2025-02-27&key=key-a&page_token=" + encoded, AuditApi.ADMIN_TOKEN);
    HttpResponse<String> tampered = api.get("/admin/tenants/" + other + "/audit?day=2025-02-27&page_token=" + forged, AuditApi.ADMIN_TOKEN);

    assertThat(sameQuery.statusCode()).isEqualTo(200);
    for (HttpResponse<String> refused : List.of(otherTenant, otherFilter, tampered)) {
      assertThat(refused.statusCode()).isEqualTo(400);
      JsonNode error = Calls.json(refused.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("param").asText()).isEqualTo("page_token");
      assertThat(refused.body()).doesNotContain("req-");
    }
  }

  /** The token's payload rewritten for another tenant, keeping the original signature. */
  private static String forge(String token, String tenant) {
    String[] parts = token.split("\\.");
    var payload = (com.fasterxml.jackson.databind.node.ObjectNode) Calls.json(
        new String(java.util.Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    payload.put("t", tenant);
    return java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[1];
  }

  @Test
  void bad_parameters_are_answered_with_400_in_the_openai_error_shape() {
    String tenant = AuditApi.newTenant();
    String base = "/admin/tenants/" + tenant + "/audit?";

    for (String query : List.of("day=yesterday", "from=2025-03-02&to=2025-03-01", "limit=0", "limit=5000",
        "status=teapot", "format=xml", "from=2020-01-01&to=2025-01-01", "day=2025-03-01&from=2025-03-01")) {
      HttpResponse<String> r = api.get(base + query, AuditApi.ADMIN_TOKEN);
      assertThat(r.statusCode()).as(query).isEqualTo(400);
      assertThat(Calls.json(r.body()).at("/error/type").asText()).as(query).isEqualTo("invalid_request_error");
    }
  }

  @Test
  void reads_one_record_by_request_id_and_answers_404_for_an_unknown_one() {
    String tenant = AuditApi.newTenant();
    api.write(AuditApi.record(tenant, "req-1", Instant.parse("2025-02-27T10:00:00Z"), "key-a", "gpt", 200, null, 5));

    JsonNode found = api.ok(api.get("/admin/tenants/" + tenant + "/audit/req-1?day=2025-02-27", AuditApi.ADMIN_TOKEN));
    HttpResponse<String> missing = api.get("/admin/tenants/" + tenant + "/audit/req-2?day=2025-02-27", AuditApi.ADMIN_TOKEN);

    assertThat(found.get("request_id").asText()).isEqualTo("req-1");
    assertThat(found.get("request_body").isNull()).isTrue();
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Calls.json(missing.body()).at("/error/type").asText()).isEqualTo("not_found_error");
  }
}
