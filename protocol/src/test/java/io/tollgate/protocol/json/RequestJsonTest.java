package io.tollgate.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.Translators;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestJsonTest {
  private static final JsonLimits LIMITS = new JsonLimits(10, 20, 1000, 50, 200);
  private static final RequestJson JSON = new RequestJson(LIMITS);
  private static final int DEEPEST = Json.MAX_WRITE_DEPTH - Json.TRANSLATION_HEADROOM;

  private static GatewayException refusal(String body) {
    try {
      JSON.parseObject(body.getBytes(StandardCharsets.UTF_8));
    } catch (GatewayException e) {
      return e;
    }
    throw new AssertionError("accepted: " + body);
  }

  @Test
  void nesting_past_the_depth_is_a_400_naming_the_limit() {
    GatewayException e = refusal("{\"a\":" + "[".repeat(10) + "]".repeat(10) + "}");
    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
    assertThat(e.code()).isEqualTo(RequestJson.LIMIT_CODE);
    assertThat(e.getMessage()).contains("deeper than 10 levels");
    assertThat(JSON.parseObject(("{\"a\":" + "[".repeat(9) + "]".repeat(9) + "}").getBytes(StandardCharsets.UTF_8)))
        .isNotNull();
  }

  @Test
  void each_other_limit_is_a_400_naming_it() {
    assertThat(refusal("{\"max_tokens\":" + "9".repeat(21) + "}").getMessage()).contains("number longer than 20");
    assertThat(refusal("{\"" + "n".repeat(51) + "\":1}").getMessage()).contains("member name longer than 50");
    assertThat(refusal("{\"a\":\"" + "x".repeat(1001) + "\"}").getMessage()).contains("string longer than 1000");
    assertThat(refusal("{\"a\":[" + "1,".repeat(300) + "1]}").getMessage()).contains("more than 200 JSON tokens");
  }

  @Test
  void broken_json_and_non_objects_are_400s_without_echoing_the_body() {
    assertThat(refusal("{\"model\": \"secret-ish\", ").getMessage()).doesNotContain("secret-ish");
    assertThat(refusal("[1,2]").getMessage()).contains("JSON object");
    assertThat(refusal("").getMessage()).contains("empty");
    assertThat(refusal("{\"a\":1} trailing").kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
  }

  @Test
  void depths_that_translations_could_not_write_are_refused_at_configuration() {
    assertThatThrownBy(() -> new JsonLimits(DEEPEST + 1, 10, 10, 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_tool_schema_at_the_deepest_accepted_depth_translates_to_every_backend() {
    RequestJson deepest = new RequestJson(new JsonLimits(DEEPEST, 100, 1_000_000, 1000, 0));
    // body(1) > tools(2) > tool(3) > input_schema(4) > properties(5) > {a: ...}
    int inner = DEEPEST - 5;
    String schema = "{\"type\":\"object\",\"properties\":{\"a\":" + "[".repeat(inner) + "]".repeat(inner) + "}}";
    String body = "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"name\":\"f\",\"input_schema\":" + schema + "}]}";
    ObjectNode tree = deepest.parseObject(body.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> deepest.parseObject(body.replace("[]", "[[]]").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(GatewayException.class);
    for (BackendSchema backend : BackendSchema.values()) {
      UpstreamRequest upstream = Translators.chat(ClientApi.ANTHROPIC, backend)
          .toUpstream(tree.deepCopy(), "upstream", endpoint(backend));
      assertThat(upstream.body()).isNotEmpty();
    }
  }

  @Test
  void tool_arguments_at_the_deepest_depth_translate_or_are_refused_never_fail() throws Exception {
    // as deep as Jackson reads by default: a translator must not nest it into something it cannot write
    int inner = Json.MAX_WRITE_DEPTH - 2;
    String args = "{\"a\":" + "[".repeat(inner) + "]".repeat(inner) + "}";
    String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":" + Json.MAPPER.writeValueAsString(args) + "}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"ok\"}]}";
    JsonNode tree = Json.MAPPER.readTree(body);
    for (BackendSchema backend : BackendSchema.values()) {
      try {
        assertThat(Translators.chat(ClientApi.OPENAI, backend).toUpstream(tree.deepCopy(), "upstream", endpoint(backend))
            .body()).isNotEmpty();
      } catch (GatewayException refused) {
        assertThat(refused.kind().status()).isEqualTo(400);
      }
    }
  }

  private static ProviderEndpoint endpoint(BackendSchema schema) {
    return new ProviderEndpoint(schema.name().toLowerCase(Locale.ROOT), schema, "http://upstream.test",
        Secret.of("sk-test"), null, schema == BackendSchema.ANTHROPIC ? "2023-06-01" : null, Map.of());
  }
}
