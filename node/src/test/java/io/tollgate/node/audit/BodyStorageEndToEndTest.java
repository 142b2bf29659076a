package io.tollgate.node.audit;

import static io.tollgate.node.testing.Calls.chatBody;
import static io.tollgate.node.testing.Calls.json;
import static io.tollgate.node.testing.Calls.openAiChat;
import static io.tollgate.node.testing.Calls.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.FreshTenantTest;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Bodies of a tenant's calls are stored, redacted, only after the tenant opted in. */
class BodyStorageEndToEndTest extends FreshTenantTest {
  @Test
  void bodies_are_not_stored_without_opt_in() {
    String requestId = chat(tenant, chatBody("demo-openai", "write to alice@example.com"), false);
    JsonNode record = auditWithBodies(tenant.id(), requestId);
    assertThat(record.get("request_body").isNull()).isTrue();
    assertThat(record.get("response_body").isNull()).isTrue();
  }

  @Test
  void opted_in_tenant_gets_redacted_request_and_response_bodies_also_for_streams() {
    HttpResponse<String> optIn = gateway.send(request(gateway.url() + "/admin/tenants/" + tenant.id() + "/settings", "PUT",
        TestGateway.ADMIN_TOKEN, "{\"store_bodies\":true}").build());
    assertThat(optIn.statusCode()).as(optIn.body()).isEqualTo(200);

    String whole = chat(tenant, chatBody("demo-openai", "write to alice@example.com"), false);
    JsonNode record = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> auditWithBodies(tenant.id(), whole), r -> !r.get("request_body").isNull());
    assertThat(record.get("request_body").asText()).contains("demo-openai").doesNotContain("alice@example.com");
    assertThat(record.get("response_body").asText()).contains("Fake reply");

    String streamed = chat(tenant,
        "{\"model\":\"demo-anthropic\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", true);
    JsonNode streamRecord = Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> auditWithBodies(tenant.id(), streamed), r -> !r.get("response_body").isNull());
    assertThat(streamRecord.get("response_body").asText()).contains("data: ").contains("[DONE]");
  }

  private String chat(TestGateway.Tenant tenant, String body, boolean stream) {
    HttpResponse<String> r = gateway.send(openAiChat(gateway.url(), tenant.key().secret(), body));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String requestId = r.headers().firstValue("x-request-id").orElseThrow();
    gateway.awaitAudit(tenant.id(), requestId);
    return requestId;
  }

  private JsonNode auditWithBodies(String tenantId, String requestId) {
    HttpResponse<String> r = gateway.send(request(gateway.url() + "/admin/tenants/" + tenantId + "/audit/" + requestId
        + "?day=" + LocalDate.now(ZoneOffset.UTC), "GET", TestGateway.ADMIN_TOKEN, null).build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json(r.body());
    return body.has("request_id") ? body : body.path("data");
  }
}
