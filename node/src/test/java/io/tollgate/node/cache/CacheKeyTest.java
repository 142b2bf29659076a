package io.tollgate.node.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.Calls;
import io.tollgate.protocol.ClientApi;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** Every field that shapes an answer changes the key; the few that do not, leave it alone. */
class CacheKeyTest {
  private static final String OPENAI = """
      {"model":"demo-openai","messages":[{"role":"system","content":"Be brief."},
        {"role":"user","content":"What is 2+2?"},
        {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
          "function":{"name":"calc","arguments":"{\\"x\\":2}"}}]},
        {"role":"tool","tool_call_id":"call_1","content":"4"}],
       "tools":[{"type":"function","function":{"name":"calc","parameters":{"type":"object"}}}],
       "tool_choice":"auto","response_format":{"type":"text"},"temperature":0.2,"top_p":0.9,"seed":7,
       "stop":["END"],"max_tokens":100,"n":1,"reasoning_effort":"low","presence_penalty":0,
       "user":"u-1","metadata":{"a":"b"},"stream":false,"stream_options":{"include_usage":true}}""";

  private static final String ANTHROPIC = """
      {"model":"demo-anthropic","max_tokens":100,"system":"Be brief.",
       "messages":[{"role":"user","content":[{"type":"text","text":"Hi"},
         {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}],
       "thinking":{"type":"enabled","budget_tokens":1024},"temperature":1,"stop_sequences":["X"],
       "metadata":{"user_id":"u-1"},"stream":true}""";

  /** Each change must give another key: a field, path and new value. */
  private static final Map<String, String> OPENAI_CHANGES = Map.ofEntries(
      Map.entry("/messages/1/content", "\"What is 2+3?\""),
      Map.entry("/messages/0/content", "\"Be verbose.\""),
      Map.entry("/messages/2/tool_calls/0/function/arguments", "\"{\\\"x\\\":3}\""),
      Map.entry("/messages/3/content", "\"5\""),
      Map.entry("/tools/0/function/name", "\"calc2\""),
      Map.entry("/tool_choice", "\"required\""),
      Map.entry("/response_format", "{\"type\":\"json_object\"}"),
      Map.entry("/temperature", "0.3"),
      Map.entry("/top_p", "0.8"),
      Map.entry("/seed", "8"),
      Map.entry("/stop", "[\"STOP\"]"),
      Map.entry("/max_tokens", "101"),
      Map.entry("/n", "2"),
      Map.entry("/reasoning_effort", "\"high\""),
      Map.entry("/presence_penalty", "1"));

  private static final Map<String, String> ANTHROPIC_CHANGES = Map.ofEntries(
      Map.entry("/system", "\"Be verbose.\""),
      Map.entry("/messages/0/content/1/source/data", "\"iVBORw0KGgp=\""),
      Map.entry("/thinking", "{\"type\":\"enabled\",\"budget_tokens\":2048}"),
      Map.entry("/max_tokens", "200"),
      Map.entry("/stop_sequences", "[\"Y\"]"));

  @Test
  void changing_any_answer_shaping_field_changes_the_key() {
    SoftAssertions soft = new SoftAssertions();
    String base = key("t1", ClientApi.OPENAI, OPENAI);
    OPENAI_CHANGES.forEach((path, value) ->
        soft.assertThat(key("t1", ClientApi.OPENAI, with(OPENAI, path, value))).as(path).isNotEqualTo(base));
    String anthropic = key("t1", ClientApi.ANTHROPIC, ANTHROPIC);
    ANTHROPIC_CHANGES.forEach((path, value) ->
        soft.assertThat(key("t1", ClientApi.ANTHROPIC, with(ANTHROPIC, path, value))).as(path).isNotEqualTo(anthropic));
    soft.assertThat(key("t1", ClientApi.OPENAI, without(OPENAI, "tools"))).as("tools left out").isNotEqualTo(base);
    soft.assertAll();
  }

  @Test
  void tenant_client_api_and_model_are_part_of_the_key() {
    String base = key("t1", ClientApi.OPENAI, OPENAI);

    assertThat(key("t2", ClientApi.OPENAI, OPENAI)).isNotEqualTo(base);
    assertThat(key("t1", ClientApi.ANTHROPIC, OPENAI)).isNotEqualTo(base);
    assertThat(CacheKey.of("t1", ClientApi.OPENAI, "other-model", Calls.json(OPENAI), 2).hash()).isNotEqualTo(base);
  }

  @Test
  void end_user_ids_metadata_delivery_and_member_order_do_not_change_the_key() {
    String base = key("t1", ClientApi.OPENAI, OPENAI);

    assertThat(key("t1", ClientApi.OPENAI, with(OPENAI, "/user", "\"u-2\""))).isEqualTo(base);
    assertThat(key("t1", ClientApi.OPENAI, with(OPENAI, "/metadata", "{\"a\":\"c\"}"))).isEqualTo(base);
    assertThat(key("t1", ClientApi.OPENAI, with(OPENAI, "/stream", "true"))).isEqualTo(base);
    assertThat(key("t1", ClientApi.OPENAI, without(OPENAI, "stream_options"))).isEqualTo(base);
    assertThat(key("t1", ClientApi.OPENAI, """
        {"messages":[{"content":"hi","role":"user"}],"model":"m"}"""))
        .isEqualTo(key("t1", ClientApi.OPENAI, """
        {"model":"m","messages":[{"role":"user","content":"hi"}]}"""));
  }

  @Test
  void the_partition_is_a_prefix_of_the_hash_and_the_key_never_prints_its_hash() {
    CacheKey k = CacheKey.of("t1", ClientApi.OPENAI, "demo-openai", Calls.json(OPENAI), 2);

    assertThat(k.hash()).hasSize(64).startsWith(k.partition());
    assertThat(k.partition()).hasSize(2);
    assertThat(k.toString()).doesNotContain(k.hash());
  }

  private static String key(String tenant, ClientApi api, String body) {
    return CacheKey.of(tenant, api, "demo-openai", Calls.json(body), 2).hash();
  }

  private static String with(String body, String pointer, String json) {
    JsonNode root = Calls.json(body).deepCopy();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String field = pointer.substring(slash + 1);
    JsonNode value = Calls.json(json);
    if (parent.isArray()) {
      ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(field), value);
    } else {
      ((com.fasterxml.jackson.databind.node.ObjectNode) parent).set(field, value);
    }
    return root.toString();
  }

  private static String without(String body, String field) {
    com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) Calls.json(body).deepCopy();
    root.remove(field);
    return root.toString();
  }
}
