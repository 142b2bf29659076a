package io.tollgate.node.limits;

import static io.tollgate.node.testing.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.TestGateway;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against a real node and a real Cassandra: bodies past the JSON limits, overlong
 * client-chosen strings and absurd query parameters. Each is a 4xx in the caller's own error shape
 * (OpenAI, Anthropic, or the admin API's OpenAI shape), never a 500, the overlong values are not
 * stored, and the node goes on serving. Limits: {@code tollgate/limits.conf} (depth 128, numbers of
 * 100 characters, names of 1,024, model 256, admin strings 4,096, admin bodies 64 KiB).
 */
class HostileInputTest {
  private static final int DEPTH = 128;
  static TestGateway gateway;
  static TestGateway.Tenant tenant;

  @BeforeAll
  static void start() {
    gateway = TestGateway.get();
    tenant = gateway.newTenant();
  }

  private enum Api { OPENAI, ANTHROPIC, EMBEDDINGS }

  private HttpResponse<String> call(Api api, String body) {
    return gateway.send(switch (api) {
      case OPENAI -> Calls.openAiChat(gateway.url(), tenant.key().secret(), body);
      case ANTHROPIC -> Calls.anthropicMessages(gateway.url(), tenant.key().secret(), body);
      case EMBEDDINGS -> Calls.post(gateway.url() + "/v1/embeddings", body)
          .header("authorization", "Bearer " + tenant.key().secret()).build();
    });
  }

  private static String model(Api api) {
    return switch (api) {
      case OPENAI -> "demo-openai";
      case ANTHROPIC -> "demo-anthropic";
      case EMBEDDINGS -> "demo-embed";
    };
  }

  /** A valid body of the API with {@code extra} (members, comma first) added at its top level. */
  private static String body(Api api, String extra) {
    String start = api == Api.EMBEDDINGS
        ? "{\"model\":\"" + model(api) + "\",\"input\":\"hi\""
        : "{\"model\":\"" + model(api) + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    return start + extra + "}";
  }

  private static void assertRefused(Api api, HttpResponse<String> r, int status, String openAiParam) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = json(r.body());
    if (api == Api.ANTHROPIC) {
      assertThat(r.headers().firstValue("request-id")).isPresent();
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(body.at("/error/message").asText()).isNotBlank();
    } else {
      assertThat(r.headers().firstValue("x-request-id")).isPresent();
      assertThat(body.at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(body.at("/error/message").asText()).isNotBlank();
      if (openAiParam != null) {
        assertThat(body.at("/error/param").asText()).isEqualTo(openAiParam);
      }
    }
  }

  private void assertStillServing() {
    for (Api api : Api.values()) {
      assertThat(call(api, body(api, "")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void nesting_past_the_parser_depth_is_a_400_in_each_api_shape() {
    String nested = "[".repeat(1500) + "]".repeat(1500);
    for (Api api : Api.values()) {
      assertRefused(api, call(api, body(api, ",\"x\":" + nested)), 400, null);
      if (api != Api.ANTHROPIC) {
        assertThat(json(call(api, body(api, ",\"x\":" + nested)).body()).at("/error/code").asText())
            .isEqualTo("json_limit_exceeded");
      }
    }
    // inside messages too
    assertRefused(Api.OPENAI, call(Api.OPENAI, "{\"model\":\"demo-openai\",\"messages\":" + nested + "}"), 400, null);
    assertRefused(Api.ANTHROPIC, call(Api.ANTHROPIC,
        "{\"model\":\"demo-anthropic\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":" + nested + "}]}"), 400, null);
    assertStillServing();
  }

  @Test
  void a_number_of_1500_digits_is_a_400() {
    String huge = "9".repeat(1500);
    assertRefused(Api.OPENAI, call(Api.OPENAI, "{\"model\":\"demo-openai\",\"max_tokens\":" + huge
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, null);
    assertRefused(Api.ANTHROPIC, call(Api.ANTHROPIC, "{\"model\":\"demo-anthropic\",\"max_tokens\":" + huge
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, null);
    assertRefused(Api.EMBEDDINGS, call(Api.EMBEDDINGS, body(Api.EMBEDDINGS, ",\"dimensions\":" + huge)), 400, null);
    // within the number limit but not an int: the field is named
    assertRefused(Api.OPENAI, call(Api.OPENAI, "{\"model\":\"demo-openai\",\"max_tokens\":" + "9".repeat(90)
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "max_tokens");
  }

  @Test
  void a_member_name_of_60000_characters_is_a_400() {
    String name = ",\"" + "n".repeat(60_000) + "\":1";
    for (Api api : Api.values()) {
      assertRefused(api, call(api, body(api, name)), 400, null);
    }
  }

  @Test
  void an_anthropic_schema_at_exactly_the_parser_depth_reaches_an_openai_deployment_and_one_level_more_is_a_400() {
    // body(1) > tools(2) > tool(3) > input_schema(4) > properties(5) > "a": arrays up to DEPTH
    String atLimit = schemaBody(DEPTH - 5);
    HttpResponse<String> served = call(Api.ANTHROPIC, atLimit);
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(json(served.body()).path("type").asText()).isEqualTo("message");
    assertRefused(Api.ANTHROPIC, call(Api.ANTHROPIC, schemaBody(DEPTH - 4)), 400, null);
  }

  @Test
  void an_openai_schema_at_exactly_the_parser_depth_reaches_anthropic_and_gemini_deployments() {
    for (String model : List.of("demo-anthropic", "demo-gemini")) {
      // body(1) > tools(2) > tool(3) > function(4) > parameters(5) > properties(6) > "a": arrays up to DEPTH
      HttpResponse<String> served = call(Api.OPENAI, functionBody(model, DEPTH - 6));
      assertThat(served.statusCode()).as(model + ": " + served.body()).isEqualTo(200);
      assertThat(json(served.body()).path("object").asText()).isEqualTo("chat.completion");
      assertRefused(Api.OPENAI, call(Api.OPENAI, functionBody(model, DEPTH - 5)), 400, null);
    }
  }

  private static String functionBody(String model, int arrays) {
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}}";
    return "{\"model\":\"" + model + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\",\"parameters\":"
        + schema + "}}]}";
  }

  private static String schemaBody(int arrays) {
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}}";
    return "{\"model\":\"demo-openai\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"name\":\"f\",\"description\":\"d\",\"input_schema\":" + schema + "}]}";
  }

  @Test
  void an_overlong_model_name_is_a_400_and_is_not_stored() {
    String model = "m".repeat(300_000);
    HttpResponse<String> r = call(Api.OPENAI, "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertRefused(Api.OPENAI, r, 400, "model");
    assertThat(r.body()).doesNotContain("mmmmmmmmmm");
    JsonNode audit = gateway.awaitAudit(tenant.id(), r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(audit.get("status").asInt()).isEqualTo(400);
    assertThat(audit.path("model").asText("")).doesNotContain("mmmmmmmmmm");
    assertThat(audit.toString().length()).isLessThan(4096);
    assertRefused(Api.ANTHROPIC, call(Api.ANTHROPIC,
        "{\"model\":\"" + model + "\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, null);
    assertRefused(Api.EMBEDDINGS, call(Api.EMBEDDINGS, "{\"model\":\"" + model + "\",\"input\":\"hi\"}"), 400, "model");
  }

  @Test
  void overlong_end_user_ids_and_metadata_are_400s_naming_the_field() {
    String longId = "u".repeat(10_000);
    assertRefused(Api.OPENAI, call(Api.OPENAI, body(Api.OPENAI, ",\"user\":\"" + longId + "\"")), 400, "user");
    assertRefused(Api.EMBEDDINGS, call(Api.EMBEDDINGS, body(Api.EMBEDDINGS, ",\"user\":\"" + longId + "\"")), 400, "user");
    assertRefused(Api.ANTHROPIC, call(Api.ANTHROPIC, body(Api.ANTHROPIC, ",\"metadata\":{\"user_id\":\"" + longId + "\"}")), 400, null);
    StringBuilder many = new StringBuilder(",\"metadata\":{");
    for (int i = 0; i < 17; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    assertRefused(Api.OPENAI, call(Api.OPENAI, body(Api.OPENAI, many + "}")), 400, "metadata");
    // within the bounds: served
    assertThat(call(Api.OPENAI, body(Api.OPENAI, ",\"user\":\"end-user-42\",\"metadata\":{\"k\":\"v\"}")).statusCode())
        .isEqualTo(200);
  }

  // --- admin API ------------------------------------------------------------------------------

  private HttpResponse<String> admin(String method, String path, String body) {
    return gateway.send(Calls.request(gateway.url() + path, method, TestGateway.ADMIN_TOKEN, body).build());
  }

  @Test
  void admin_bodies_past_the_limits_are_400s_in_the_admin_shape() {
    String nested = "[".repeat(1500) + "]".repeat(1500);
    for (HttpResponse<String> r : List.of(
        admin("POST", "/admin/tenants", "{\"tenant_id\":\"x\",\"name\":" + nested + "}"),
        admin("POST", "/admin/tenants", "{\"tenant_id\":\"x\",\"" + "n".repeat(60_000) + "\":1}"),
        admin("POST", "/admin/tenants", "{\"tenant_id\":\"x\",\"name\":\"" + "n".repeat(5000) + "\"}"),
        admin("PUT", "/admin/tenants/" + tenant.id() + "/limits", "{\"limits\":" + nested + "}"),
        admin("PUT", "/admin/tenants/" + tenant.id() + "/routing", "{\"pinned\":" + nested + "}"),
        admin("PUT", "/admin/tenants/" + tenant.id() + "/settings", "{\"store_bodies\":" + nested + "}"),
        admin("POST", "/admin/circuits/open?deployment=fake-openai/gpt-4o-mini", "{\"seconds\":" + "9".repeat(1500) + "}"),
        admin("POST", "/admin/circuits/open?deployment=fake-openai/gpt-4o-mini", "{\"seconds\":1000000000000000000}"))) {
      assertRefused(Api.OPENAI, r, 400, null);
    }
    HttpResponse<String> large = admin("POST", "/admin/tenants", "{\"tenant_id\":\"x\",\"name\":\"n\",\"pad\":[" + "1,".repeat(40_000) + "1]}");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(json(large.body()).at("/error/type").asText()).isEqualTo("request_too_large");
  }

  @Test
  void absurd_audit_and_reconcile_dates_are_400s_naming_the_parameter() {
    String audit = "/admin/tenants/" + tenant.id() + "/audit";
    assertRefused(Api.OPENAI, admin("GET", audit + "?day=%2B999999999-12-31", null), 400, "day");
    assertRefused(Api.OPENAI, admin("GET", audit + "?day=-999999999-01-01", null), 400, "day");
    assertRefused(Api.OPENAI, admin("GET", audit + "?from=2025-01-01&to=%2B999999999-12-31", null), 400, "to");
    assertRefused(Api.OPENAI, admin("GET", audit + "?to=" + enc("+1000000000-12-31T23:59:59Z"), null), 400, "to");
    assertRefused(Api.OPENAI, admin("GET", audit + "?from=" + enc("-1000000000-01-01T00:00:00Z"), null), 400, "from");
    assertRefused(Api.OPENAI, admin("GET", "/admin/tenants/" + tenant.id() + "/usage?day=%2B999999999-12-31", null), 400, "day");
    assertRefused(Api.OPENAI, admin("GET", audit + "/req_x?day=%2B999999999-12-31", null), 400, "day");
    assertRefused(Api.OPENAI, admin("GET", "/admin/tenants/" + tenant.id() + "/reconcile?at="
        + enc("-1000000000-01-01T00:00:00Z"), null), 400, "at");
    assertThat(admin("GET", audit + "?day=2025-03-04", null).statusCode()).isEqualTo(200);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
