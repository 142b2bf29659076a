package io.tollgate.node.budget.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.BudgetHttpTest;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The limits admin API: what is stored is what is read back, and bad input is a 400 naming the field. */
class LimitsAdminTest extends BudgetHttpTest {
  private static final String LIMITS = """
      {"time_zone":"Europe/Berlin","fail_mode":"open","overdraft_usd":"0.50","limits":[
        {"scope":"tenant","kind":"usd","period":"monthly","amount":"100.00"},
        {"scope":"team:research","kind":"tokens","period":"daily","amount":1000000},
        {"scope":"key:key_abc","kind":"requests_per_minute","amount":60},
        {"scope":"tenant","kind":"tokens_per_minute","amount":100000},
        {"scope":"key:key_abc","kind":"usd","period":"lifetime","amount":12.5}]}""";

  @Test
  void limits_put_are_the_limits_read_back() {
    JsonNode stored = admin.setLimits(tenant.id(), LIMITS);
    JsonNode read = admin.limits(tenant.id());

    assertThat(read).isEqualTo(stored);
    assertThat(read.get("tenant_id").asText()).isEqualTo(tenant.id());
    assertThat(read.get("time_zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(read.get("fail_mode").asText()).isEqualTo("open");
    assertThat(read.get("overdraft_usd").asText()).isEqualTo("0.50");
    JsonNode limits = read.get("limits");
    assertThat(limits).hasSize(5);
    assertThat(limits.get(0).get("kind").asText()).isEqualTo("usd");
    assertThat(limits.get(0).get("period").asText()).isEqualTo("monthly");
    assertThat(limits.get(0).get("amount").asText()).isEqualTo("100.00");
    assertThat(limits.get(0).get("amount_micros").asLong()).isEqualTo(100_000_000L);
    assertThat(limits.get(1).get("scope").asText()).isEqualTo("team:research");
    assertThat(limits.get(1).get("amount").asLong()).isEqualTo(1_000_000L);
    assertThat(limits.get(2).get("kind").asText()).isEqualTo("requests_per_minute");
    assertThat(limits.get(2).has("period")).as("per-minute limits have no period").isFalse();
    assertThat(limits.get(2).get("amount").asLong()).isEqualTo(60);
    assertThat(limits.get(4).get("amount").asText()).as("a JSON number in dollars").isEqualTo("12.50");
  }

  @Test
  void stored_limits_can_be_put_again_unchanged() {
    JsonNode stored = admin.setLimits(tenant.id(), LIMITS);

    assertThat(admin.setLimits(tenant.id(), stored.toString())).isEqualTo(stored);
  }

  @Test
  void a_tenant_without_limits_reads_none() {
    JsonNode read = admin.limits(tenant.id());

    assertThat(read.get("limits")).isEmpty();
    assertThat(read.get("time_zone").asText()).isEqualTo("UTC");
    assertThat(read.get("fail_mode").asText()).isEqualTo("closed");
  }

  @Test
  void spend_shows_every_limit_in_its_current_window() {
    admin.setLimits(tenant.id(), LIMITS);

    JsonNode spend = admin.spend(tenant.id());

    assertThat(spend.get("data")).hasSize(5);
    JsonNode monthly = admin.spendLine(tenant.id(), "tenant", "usd");
    assertThat(monthly.get("limit").asLong()).isEqualTo(100_000_000L);
    assertThat(monthly.get("spent").asLong()).isZero();
    assertThat(monthly.get("available").asLong()).isEqualTo(100_000_000L);
    assertThat(monthly.get("available_usd").asText()).isEqualTo("100.00");
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant monthStart = LocalDate.now(berlin).withDayOfMonth(1).atStartOfDay(berlin).toInstant();
    assertThat(Instant.parse(monthly.get("window_start").asText())).as("the month starts at midnight in Berlin")
        .isEqualTo(monthStart);
    assertThat(Instant.parse(monthly.get("window_end").asText()))
        .isEqualTo(monthStart.atZone(berlin).plusMonths(1).toInstant());
    assertThat(admin.spendLine(tenant.id(), "key:key_abc", "requests_per_minute").get("period").asText())
        .isEqualTo("minute");
  }

  static Stream<Arguments> badLimits() {
    return Stream.of(
        Arguments.of("unknown kind", limit("\"scope\":\"tenant\",\"kind\":\"euros\",\"period\":\"daily\",\"amount\":1"),
            "limits[0].kind"),
        Arguments.of("more than 6 decimals", limit("\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"0.0000001\""),
            "limits[0].amount"),
        Arguments.of("negative amount", limit("\"scope\":\"tenant\",\"kind\":\"tokens\",\"period\":\"daily\",\"amount\":-5"),
            "limits[0].amount"),
        Arguments.of("amount not a number", limit("\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"lots\""),
            "limits[0].amount"),
        Arguments.of("usd without period", limit("\"scope\":\"tenant\",\"kind\":\"usd\",\"amount\":\"1\""),
            "limits[0].period"),
        Arguments.of("rate limit with a daily period",
            limit("\"scope\":\"tenant\",\"kind\":\"requests_per_minute\",\"period\":\"daily\",\"amount\":5"),
            "limits[0].period"),
        Arguments.of("unknown scope", limit("\"scope\":\"everyone\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"1\""),
            "limits[0].scope"),
        Arguments.of("unknown time zone", "{\"time_zone\":\"Mars/Olympus\",\"limits\":[]}", "time_zone"),
        Arguments.of("unknown fail mode", "{\"fail_mode\":\"maybe\",\"limits\":[]}", "fail_mode"),
        Arguments.of("overdraft with 7 decimals", "{\"overdraft_usd\":\"1.0000001\",\"limits\":[]}", "overdraft_usd"),
        Arguments.of("no limits array", "{\"time_zone\":\"UTC\"}", "limits"),
        Arguments.of("the same limit twice", "{\"limits\":["
            + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"1\"},"
            + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"2\"}]}", "limits"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLimits")
  void bad_limits_are_refused_with_a_400_naming_the_field_and_change_nothing(String what, String body, String param) {
    JsonNode before = admin.setLimits(tenant.id(), LIMITS);

    HttpResponse<String> response = admin.putLimits(tenant.id(), body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = BudgetAdmin.json(response).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("param").asText()).isEqualTo(param);
    assertThat(admin.limits(tenant.id())).isEqualTo(before);
  }

  @Test
  void reconcile_refuses_an_unknown_period() {
    HttpResponse<String> response = admin.call("GET", "/admin/tenants/" + tenant.id() + "/reconcile?period=weekly",
        null, TestGateway.ADMIN_TOKEN);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(BudgetAdmin.json(response).at("/error/param").asText()).isEqualTo("period");
  }

  @Test
  void budget_calls_need_the_admin_token() {
    HttpResponse<String> put = admin.call("PUT", "/admin/tenants/" + tenant.id() + "/limits", LIMITS, "wrong-token");
    HttpResponse<String> spend = admin.call("GET", "/admin/tenants/" + tenant.id() + "/spend", null, null);

    assertThat(put.statusCode()).isEqualTo(401);
    assertThat(spend.statusCode()).isEqualTo(401);
    assertThat(BudgetAdmin.json(put).at("/error/code").asText()).isEqualTo("invalid_admin_token");
    assertThat(admin.limits(tenant.id()).get("limits")).isEmpty();
  }

  @Test
  void a_key_can_belong_to_a_team() {
    JsonNode key = admin.createKeyJson(tenant.id(), "research");
    HttpResponse<String> bad = admin.call("POST", "/admin/tenants/" + tenant.id() + "/keys",
        "{\"name\":\"x\",\"team\":\"Research Team\"}", TestGateway.ADMIN_TOKEN);

    assertThat(key.get("team").asText()).isEqualTo("research");
    assertThat(admin.createKeyJson(tenant.id(), null).get("team").isNull()).isTrue();
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(BudgetAdmin.json(bad).at("/error/param").asText()).isEqualTo("team");
  }

  private static String limit(String fields) {
    return "{\"limits\":[{" + fields + "}]}";
  }
}
