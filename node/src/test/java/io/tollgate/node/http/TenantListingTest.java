package io.tollgate.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/tenants} answers in pages, so the listing works with any number of tenants. */
class TenantListingTest {
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    gateway = TestGateway.get();
  }

  @Test
  void tenants_are_listed_in_id_order_page_by_page() {
    String prefix = "pg-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    for (String suffix : List.of("c", "a", "b")) {
      // the registry entity may still be starting when this is the JVM's first admin call: ask again until it is there
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        HttpResponse<String> created = admin("POST", "/admin/tenants", "{\"tenant_id\":\"" + prefix + suffix + "\"}");
        return created.statusCode() == 201 || created.body().contains("already exists");
      });
    }

    List<String> seen = new ArrayList<>();
    // start right before this test's tenants: the shared gateway holds other tests' tenants too
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(prefix.getBytes(StandardCharsets.UTF_8));
    JsonNode page;
    do {
      HttpResponse<String> r = admin("GET", "/admin/tenants?limit=2&page_token=" + token, null);
      assertThat(r.statusCode()).isEqualTo(200);
      page = Calls.json(r.body());
      assertThat(page.path("data").size()).isLessThanOrEqualTo(2);
      page.path("data").forEach(t -> seen.add(t.path("tenant_id").asText()));
      token = page.path("next_page_token").asText(null);
    } while (page.path("has_more").asBoolean() && seen.size() < 3);

    assertThat(seen.subList(0, 3)).containsExactly(prefix + "a", prefix + "b", prefix + "c");
  }

  @Test
  void a_bad_page_token_or_limit_is_a_400_naming_it() {
    HttpResponse<String> badToken = admin("GET", "/admin/tenants?page_token=not*a*token", null);
    HttpResponse<String> badLimit = admin("GET", "/admin/tenants?limit=0", null);

    assertThat(badToken.statusCode()).isEqualTo(400);
    assertThat(Calls.json(badToken.body()).path("error").path("param").asText()).isEqualTo("page_token");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(Calls.json(badLimit.body()).path("error").path("param").asText()).isEqualTo("limit");
  }

  private static HttpResponse<String> admin(String method, String path, String body) {
    return gateway.send(Calls.request(gateway.url() + path, method, TestGateway.ADMIN_TOKEN, body).build());
  }
}
