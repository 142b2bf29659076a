package io.tollgate.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tenant admin token sees its own tenant only; the global admin sees every tenant. */
class TenantIsolationTest {
  private static final String DAY = "2025-03-10";
  private static final Instant NOON = Instant.parse("2025-03-10T12:00:00Z");
  private final AuditApi api = AuditApi.get();

  private record Tenants(String mine, String theirs, String myToken) {}

  private Tenants twoTenantsWithCalls() {
    String mine = AuditApi.newTenant();
    String theirs = AuditApi.newTenant();
    api.write(
        AuditApi.record(mine, "req-mine-1", NOON, "key-a", "gpt", 200, null, 10),
        AuditApi.record(mine, "req-mine-2", NOON.plusSeconds(1), "key-a", "gpt", 200, null, 20),
        AuditApi.record(theirs, "req-theirs-1", NOON, "key-z", "gpt", 200, null, 30));
    return new Tenants(mine, theirs, api.tenantAdminToken(mine));
  }

  private static void assertForbidden(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Calls.json(r.body()).at("/error/type").asText()).isEqualTo("permission_error");
    assertThat(r.body()).doesNotContain("req-").doesNotContain("cost");
  }

  @Test
  void a_tenant_admin_reads_its_own_tenants_audit_usage_and_settings() {
    Tenants t = twoTenantsWithCalls();

    JsonNode records = api.ok(api.get("/admin/tenants/" + t.mine() + "/audit?day=" + DAY, t.myToken()));
    JsonNode usage = api.ok(api.get("/admin/tenants/" + t.mine() + "/usage?day=" + DAY, t.myToken()));
    JsonNode settings = api.ok(api.get("/admin/tenants/" + t.mine() + "/settings", t.myToken()));

    assertThat(records.get("data")).extracting(r -> r.get("request_id").asText()).containsExactly("req-mine-2", "req-mine-1");
    assertThat(usage.at("/total/cost_micros").asLong()).isEqualTo(30);
    assertThat(settings.get("store_bodies").asBoolean()).isFalse();
  }

  @Test
  void a_tenant_admin_gets_403_and_no_data_for_another_tenant() {
    Tenants t = twoTenantsWithCalls();
    String other = "/admin/tenants/" + t.theirs();

    for (String path : List.of("/audit?day=" + DAY, "/audit", "/audit?day=" + DAY + "&format=csv", "/audit/req-theirs-1?day=" + DAY,
        "/usage?day=" + DAY, "/usage?day=" + DAY + "&format=csv", "/settings", "/admin-tokens")) {
      assertForbidden(api.get(other + path, t.myToken()));
    }
    assertForbidden(api.call("PUT", other + "/settings", t.myToken(), "{\"store_bodies\":true}"));
    assertForbidden(api.call("POST", other + "/admin-tokens", t.myToken(), "{}"));
    assertThat(api.ok(api.get(other + "/settings", AuditApi.ADMIN_TOKEN)).get("store_bodies").asBoolean()).isFalse();
  }

  @Test
  void only_the_global_admin_manages_tokens_and_settings_even_of_the_own_tenant() {
    Tenants t = twoTenantsWithCalls();
    String mine = "/admin/tenants/" + t.mine();

    assertForbidden(api.call("POST", mine + "/admin-tokens", t.myToken(), "{}"));
    assertForbidden(api.get(mine + "/admin-tokens", t.myToken()));
    assertForbidden(api.call("PUT", mine + "/settings", t.myToken(), "{\"store_bodies\":true}"));
    assertThat(api.ok(api.get(mine + "/settings", t.myToken())).get("store_bodies").asBoolean()).isFalse();
  }

  @Test
  void the_global_admin_sees_every_tenant() {
    Tenants t = twoTenantsWithCalls();

    JsonNode mine = api.ok(api.get("/admin/tenants/" + t.mine() + "/audit?day=" + DAY, AuditApi.ADMIN_TOKEN));
    JsonNode theirs = api.ok(api.get("/admin/tenants/" + t.theirs() + "/audit?day=" + DAY, AuditApi.ADMIN_TOKEN));

    assertThat(mine.get("data")).hasSize(2);
    assertThat(theirs.get("data")).extracting(r -> r.get("request_id").asText()).containsExactly("req-theirs-1");
  }

  @Test
  void missing_wrong_and_revoked_tokens_get_401() {
    Tenants t = twoTenantsWithCalls();
    String path = "/admin/tenants/" + t.mine() + "/audit?day=" + DAY;
    JsonNode listed = api.ok(api.get("/admin/tenants/" + t.mine() + "/admin-tokens", AuditApi.ADMIN_TOKEN));
    String tokenId = listed.get("data").get(0).get("token_id").asText();

    HttpResponse<String> revoke = api.call("DELETE", "/admin/tenants/" + t.mine() + "/admin-tokens/" + tokenId, AuditApi.ADMIN_TOKEN, null);

    assertThat(revoke.statusCode()).isEqualTo(200);
    assertThat(listed.toString()).doesNotContain(t.myToken());
    for (String token : new String[] {null, "wrong", "tga_made-up-token-value", t.myToken(), AuditApi.ADMIN_TOKEN + "x"}) {
      HttpResponse<String> r = api.get(path, token);
      assertThat(r.statusCode()).as(String.valueOf(token)).isEqualTo(401);
      assertThat(Calls.json(r.body()).at("/error/type").asText()).isEqualTo("authentication_error");
      assertThat(r.body()).doesNotContain("req-");
    }
  }

  @Test
  void a_token_is_shown_once_and_its_records_are_never_mixed_across_tenants() {
    String tenant = AuditApi.newTenant();
    HttpResponse<String> created = api.call("POST", "/admin/tenants/" + tenant + "/admin-tokens", AuditApi.ADMIN_TOKEN,
        "{\"name\":\"finops team\"}");

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = Calls.json(created.body());
    assertThat(body.get("token").asText()).startsWith("tga_");
    assertThat(body.get("tenant_id").asText()).isEqualTo(tenant);
    assertThat(body.get("name").asText()).isEqualTo("finops team");
    JsonNode listed = api.ok(api.get("/admin/tenants/" + tenant + "/admin-tokens", AuditApi.ADMIN_TOKEN));
    assertThat(listed.get("data")).hasSize(1);
    assertThat(listed.get("data").get(0).has("token")).isFalse();
    assertThat(api.ok(api.get("/admin/tenants/" + tenant + "/audit?day=" + DAY, body.get("token").asText())).get("data")).isEmpty();
  }
}
