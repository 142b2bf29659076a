package io.tollgate.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every admin route against every kind of caller, on a real node: the global admin token, the
 * tenant's own admin token, another tenant's admin token, an API key and no credential at all.
 * One table says who may do what; a route missing here is a route nobody checked.
 */
class AdminRouteAccessTest {
  private final TestGateway gw = TestGateway.get();

  /** What a caller gets: the route's own success status, a refusal (401 or 403), or exactly 401. */
  private enum Expect { ALLOWED, DENIED, UNAUTHENTICATED }

  /** The global admin comes last: refused callers change nothing, so one fixture serves a whole row. */
  private enum Caller { NONE, API_KEY, OTHER_TENANT_ADMIN, OWN_TENANT_ADMIN, GLOBAL_ADMIN }

  /** One admin route; {@code tenantMay}: the tenant's own admin token may use it (else the global admin only). */
  private record Row(String method, Function<Fixture, String> path, String body, int success, boolean tenantMay) {}

  /** A fresh tenant (with a key and an admin token) and a second tenant with its own admin token. */
  private record Fixture(String tenant, TestGateway.Key key, String ownAdminToken, String otherAdminToken) {}

  private static final String DAY = "2025-03-10";
  private static final String LIMITS = "{\"limits\":[{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"monthly\",\"amount\":\"100\"}]}";

  private static final List<Row> ROUTES = List.of(
      new Row("POST", f -> "/admin/tenants", "{\"tenant_id\":\"" + fresh() + "\"}", 201, false),
      new Row("GET", f -> "/admin/tenants", null, 200, false),
      new Row("POST", f -> t(f) + "/keys", "{\"name\":\"x\"}", 201, false),
      new Row("GET", f -> t(f) + "/keys", null, 200, false),
      new Row("POST", f -> t(f) + "/keys/" + f.key().keyId() + "/revoke", "", 200, false),
      new Row("DELETE", f -> t(f) + "/keys/" + f.key().keyId(), null, 200, false),
      new Row("GET", f -> t(f) + "/audit?day=" + DAY, null, 200, true),
      new Row("GET", f -> t(f) + "/audit/req-none?day=" + DAY, null, 404, true),
      new Row("GET", f -> t(f) + "/usage?day=" + DAY, null, 200, true),
      new Row("GET", f -> t(f) + "/settings", null, 200, true),
      new Row("PUT", f -> t(f) + "/settings", "{\"store_bodies\":false}", 200, false),
      new Row("POST", f -> t(f) + "/admin-tokens", "{\"name\":\"ops\"}", 201, false),
      new Row("GET", f -> t(f) + "/admin-tokens", null, 200, false),
      new Row("DELETE", f -> t(f) + "/admin-tokens/tok-none", null, 404, false),
      new Row("GET", f -> t(f) + "/routing", null, 200, true),
      new Row("PUT", f -> t(f) + "/routing", "{}", 200, true),
      new Row("GET", f -> t(f) + "/cache", null, 200, true),
      new Row("PUT", f -> t(f) + "/cache", "{\"mode\":\"exact\"}", 200, true),
      new Row("PUT", f -> t(f) + "/limits", LIMITS, 200, false),
      new Row("GET", f -> t(f) + "/limits", null, 200, false),
      new Row("GET", f -> t(f) + "/spend", null, 200, false),
      new Row("GET", f -> t(f) + "/reconcile", null, 200, false),
      new Row("GET", f -> t(f) + "/home", null, 200, false),
      new Row("POST", f -> t(f) + "/home", "{\"region\":\"local\"}", 200, false),
      new Row("GET", f -> "/admin/cluster/budget-entity/" + f.tenant(), null, 200, false),
      new Row("GET", f -> "/admin/circuits", null, 200, false),
      new Row("POST", f -> "/admin/circuits/open?deployment=dead/gpt-x", "{\"seconds\":1}", 200, false),
      new Row("POST", f -> "/admin/circuits/close?deployment=dead/gpt-x", "", 200, false),
      new Row("GET", f -> "/admin/routing/explain?model=demo-openai", null, 200, false));

  @Test
  void every_admin_route_answers_each_kind_of_caller_as_the_table_says() {
    SoftAssertions soft = new SoftAssertions();
    for (Row row : ROUTES) {
      Fixture f = fixture();
      for (Caller caller : Caller.values()) {
        HttpResponse<String> r = call(row.method(), row.path().apply(f), credential(caller, f), row.body());
        Expect expected = expected(row, caller);
        String what = caller + " " + row.method() + " " + row.path().apply(f) + " -> " + r.statusCode() + " " + r.body();
        switch (expected) {
          case ALLOWED -> soft.assertThat(r.statusCode()).as(what).isEqualTo(row.success());
          case DENIED -> soft.assertThat(r.statusCode()).as(what).isIn(401, 403);
          case UNAUTHENTICATED -> soft.assertThat(r.statusCode()).as(what).isEqualTo(401);
        }
        if (expected != Expect.ALLOWED) {
          soft.assertThat(Calls.json(r.body()).at("/error/type").asText()).as(what)
              .isIn("authentication_error", "permission_error");
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void a_tenant_admin_token_reads_and_replaces_its_own_routing_policy() {
    Fixture f = fixture();

    HttpResponse<String> put = call("PUT", t(f) + "/routing", f.ownAdminToken(), "{\"strategy_keys\":[\"*\"]}");
    HttpResponse<String> get = call("GET", t(f) + "/routing", f.ownAdminToken(), null);

    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(Calls.json(get.body()).get("strategy_keys").get(0).asText()).isEqualTo("*");
  }

  private static Expect expected(Row row, Caller caller) {
    return switch (caller) {
      case GLOBAL_ADMIN -> Expect.ALLOWED;
      case OWN_TENANT_ADMIN -> row.tenantMay() ? Expect.ALLOWED : Expect.DENIED;
      case OTHER_TENANT_ADMIN -> Expect.DENIED;
      case API_KEY, NONE -> Expect.UNAUTHENTICATED;
    };
  }

  private static String credential(Caller caller, Fixture f) {
    return switch (caller) {
      case GLOBAL_ADMIN -> TestGateway.ADMIN_TOKEN;
      case OWN_TENANT_ADMIN -> f.ownAdminToken();
      case OTHER_TENANT_ADMIN -> f.otherAdminToken();
      case API_KEY -> f.key().secret();
      case NONE -> null;
    };
  }

  private Fixture fixture() {
    TestGateway.Tenant mine = gw.newTenant();
    TestGateway.Tenant other = gw.newTenant();
    return new Fixture(mine.id(), mine.key(), adminToken(mine.id()), adminToken(other.id()));
  }

  private String adminToken(String tenant) {
    HttpResponse<String> r = call("POST", "/admin/tenants/" + tenant + "/admin-tokens", TestGateway.ADMIN_TOKEN, "{\"name\":\"ops\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Calls.json(r.body()).get("token").asText();
  }

  private HttpResponse<String> call(String method, String path, String bearer, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url() + path)).timeout(Duration.ofSeconds(20));
    if (bearer != null) {
      b.header("authorization", "Bearer " + bearer);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return gw.send(b.build());
  }

  private static String t(Fixture f) {
    return "/admin/tenants/" + f.tenant();
  }

  private static String fresh() {
    return "t-" + UUID.randomUUID().toString().substring(0, 12);
  }
}
