package io.tollgate.node.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/cluster/budget-entity/{tenant}}, which the chaos test uses to find the node to
 * kill: on a one-node gateway it says the entity is hosted here once the tenant's budget was
 * touched, not before, and it is for the global admin only.
 */
class BudgetEntityEndpointTest {
  static TestGateway gateway;
  static BudgetAdmin admin;

  @BeforeAll
  static void start() {
    gateway = TestGateway.get();
    admin = new BudgetAdmin(gateway);
  }

  @Test
  void names_this_node_as_host_once_the_tenants_budget_entity_runs() {
    TestGateway.Tenant tenant = gateway.newTenant();
    String path = "/admin/cluster/budget-entity/" + tenant.id();

    JsonNode before = BudgetAdmin.json(admin.call("GET", path, null, TestGateway.ADMIN_TOKEN));
    admin.setLimits(tenant.id(), "{\"limits\":[{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"1\"}]}");
    JsonNode after = BudgetAdmin.json(admin.call("GET", path, null, TestGateway.ADMIN_TOKEN));

    assertThat(before.get("hosted_here").asBoolean()).as("before anything asked the entity").isFalse();
    assertThat(after.get("hosted_here").asBoolean()).as("after setting limits").isTrue();
    assertThat(after.get("node").asText()).startsWith("pekko://");
    assertThat(after.get("tenant_id").asText()).isEqualTo(tenant.id());
  }

  @Test
  void refuses_callers_without_the_global_admin_token() {
    HttpResponse<String> none = admin.call("GET", "/admin/cluster/budget-entity/anyone", null, null);
    HttpResponse<String> wrong = admin.call("GET", "/admin/cluster/budget-entity/anyone", null, "not-the-token");

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
  }
}
