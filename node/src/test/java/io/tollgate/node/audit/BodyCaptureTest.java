package io.tollgate.node.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bodies are stored only after the tenant opted in through the admin API, and only redacted. */
class BodyCaptureTest {
  private static final Instant TIME = Instant.parse("2025-03-11T09:30:00.500Z");
  private static final String REQUEST = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"My card is 4242 4242 4242 4242, mail me at max@example.com\"}]}";
  private static final String RESPONSE = "{\"choices\":[{\"message\":{\"content\":\"Done, I will write to max@example.com.\"}}]}";
  private final AuditApi api = AuditApi.get();

  @Test
  void stores_redacted_bodies_only_after_the_tenant_opts_in() {
    String tenant = AuditApi.newTenant();
    api.write(AuditApi.record(tenant, "req-before", TIME, "key-a", "gpt", 200, null, 1),
        AuditApi.record(tenant, "req-after", TIME.plusSeconds(1), "key-a", "gpt", 200, null, 1));

    boolean storedBefore = AuditApi.await(api.bodies.capture(tenant, "req-before", TIME, REQUEST, RESPONSE));
    JsonNode optIn = api.ok(api.call("PUT", "/admin/tenants/" + tenant + "/settings", AuditApi.ADMIN_TOKEN, "{\"store_bodies\":true}"));
    boolean storedAfter = AuditApi.await(api.bodies.capture(tenant, "req-after", TIME.plusSeconds(1), REQUEST, RESPONSE));

    assertThat(storedBefore).isFalse();
    assertThat(optIn.get("store_bodies").asBoolean()).isTrue();
    assertThat(storedAfter).isTrue();
    JsonNode before = api.ok(api.get("/admin/tenants/" + tenant + "/audit/req-before?day=2025-03-11", AuditApi.ADMIN_TOKEN));
    JsonNode after = api.ok(api.get("/admin/tenants/" + tenant + "/audit/req-after?day=2025-03-11", AuditApi.ADMIN_TOKEN));
    assertThat(before.get("request_body").isNull()).isTrue();
    assertThat(before.get("response_body").isNull()).isTrue();
    assertThat(after.get("request_body").asText())
        .contains("My card is [REDACTED:credit_card], mail me at [REDACTED:email]").doesNotContain("4242", "max@");
    assertThat(after.get("response_body").asText()).isEqualTo(
        "{\"choices\":[{\"message\":{\"content\":\"Done, I will write to [REDACTED:email].\"}}]}");
    assertThat(after.get("response_truncated").asBoolean()).isFalse();
  }

  @Test
  void the_setting_takes_a_boolean_and_is_readable_by_the_tenant_admin() {
    String tenant = AuditApi.newTenant();
    String token = api.tenantAdminToken(tenant);

    HttpResponse<String> wrong = api.call("PUT", "/admin/tenants/" + tenant + "/settings", AuditApi.ADMIN_TOKEN, "{\"store_bodies\":\"yes\"}");
    api.ok(api.call("PUT", "/admin/tenants/" + tenant + "/settings", AuditApi.ADMIN_TOKEN, "{\"store_bodies\":true}"));

    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(Calls.json(wrong.body()).at("/error/param").asText()).isEqualTo("store_bodies");
    JsonNode seen = api.ok(api.get("/admin/tenants/" + tenant + "/settings", token));
    assertThat(seen.get("store_bodies").asBoolean()).isTrue();
    assertThat(seen.get("updated_at").asText()).isNotEmpty();
  }
}
