package io.tollgate.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorBodies;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.Translators;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property: whatever bytes a client sends, reading them within the JSON limits and decoding them
 * for every client API, then translating them for every backend schema (and as an embeddings call),
 * either succeeds with a provider request that can be written, or refuses with a 4xx that renders
 * in the client's error shape. Never any other exception (which the gateway would answer with 500).
 *
 * <p>Inputs: near-valid chat, messages and embeddings bodies built from the fields the decoders
 * read, the same bodies with random edits, and bodies nested, numbered and named around the limits.
 * Each is read twice: under small limits, and under the deepest depth a node accepts (where a
 * translator's added levels must still fit Jackson's write depth).
 */
class RequestDecodersFuzzTest {
  private static final RequestJson SMALL = new RequestJson(new JsonLimits(48, 40, 4000, 100, 20_000));
  private static final RequestJson DEEPEST = new RequestJson(
      new JsonLimits(Json.MAX_WRITE_DEPTH - Json.TRANSLATION_HEADROOM, 1000, 1_000_000, 50_000, 0));

  /** Reads back what a translator wrote: anything up to Jackson's write depth. */
  private static final ObjectMapper WRITTEN = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_WRITE_DEPTH).build()).build()).build();

  private static final List<String> KEYS = List.of(
      "model", "messages", "role", "content", "type", "text", "tools", "function", "name", "parameters",
      "input_schema", "input", "id", "tool_call_id", "tool_calls", "arguments", "tool_use_id", "is_error",
      "system", "max_tokens", "max_completion_tokens", "n", "temperature", "top_p", "stop", "stop_sequences",
      "stream", "stream_options", "include_usage", "tool_choice", "image_url", "url", "source", "media_type",
      "data", "thinking", "signature", "metadata", "user", "user_id", "encoding_format", "dimensions",
      "description", "properties", "items", "anyOf", "const", "required", "refusal", "detail", "x");
  private static final List<String> WORDS = List.of(
      "demo", "user", "assistant", "system", "developer", "tool", "text", "image", "image_url", "tool_use",
      "tool_result", "thinking", "redacted_thinking", "function", "auto", "any", "none", "required", "base64",
      "url", "float", "object", "string", "array", "null", "integer", "image/png", "data:image/png;base64,AAAA",
      "data:;base64", "https://example.test/cat.png", "ftp://x", "{}", "{\"a\":1}", "[1,2]", "{", "", " ");

  @Property(tries = 1500)
  void any_body_is_a_4xx_or_a_writable_provider_request(@ForAll("bodies") String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (RequestJson reader : List.of(SMALL, DEEPEST)) {
      for (ClientApi api : ClientApi.values()) {
        try {
          ObjectNode tree = reader.parseObject(bytes);
          translateEverywhere(api, tree);
        } catch (GatewayException refused) {
          assertRefusedInShape(api, refused);
        }
      }
    }
  }

  private static void translateEverywhere(ClientApi api, ObjectNode tree) {
    for (BackendSchema backend : BackendSchema.values()) {
      try {
        UpstreamRequest upstream = Translators.chat(api, backend).toUpstream(tree.deepCopy(), "upstream-model", endpoint(backend));
        assertThat(WRITTEN.readTree(upstream.body())).isNotNull();
      } catch (GatewayException refused) {
        assertRefusedInShape(api, refused);
      } catch (java.io.IOException unreadable) {
        throw new AssertionError("the provider request is not JSON", unreadable);
      }
      if (api == ClientApi.OPENAI && backend != BackendSchema.ANTHROPIC) {
        try {
          Translators.embeddings(backend).toUpstream(tree.deepCopy(), "upstream-model", endpoint(backend));
        } catch (GatewayException refused) {
          assertRefusedInShape(api, refused);
        }
      }
    }
  }

  private static void assertRefusedInShape(ClientApi api, GatewayException refused) {
    assertThat(refused.kind().status()).as(refused.getMessage()).isBetween(400, 499);
    JsonNode shape = ErrorBodies.render(api, refused);
    if (api == ClientApi.ANTHROPIC) {
      assertThat(shape.path("type").asText()).isEqualTo("error");
      assertThat(shape.at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(shape.at("/error/message").asText()).isNotBlank();
    } else {
      assertThat(shape.at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(shape.at("/error/message").asText()).isNotBlank();
    }
  }

  private static ProviderEndpoint endpoint(BackendSchema schema) {
    return new ProviderEndpoint(schema.name().toLowerCase(Locale.ROOT), schema, "http://upstream.test",
        Secret.of("sk-test"), null, schema == BackendSchema.ANTHROPIC ? "2023-06-01" : null, Map.of());
  }

  // --- inputs ---------------------------------------------------------------------------------

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> near = Arbitraries.oneOf(chatBody(), messagesBody(), embeddingsBody());
    return Arbitraries.frequencyOf(
        Tuple.of(4, near),
        Tuple.of(3, near.flatMap(RequestDecodersFuzzTest::edited)),
        Tuple.of(2, value(4)),
        Tuple.of(2, deep()),
        Tuple.of(1, longNumbers()),
        Tuple.of(1, longNames()));
  }

  private Arbitrary<String> chatBody() {
    Arbitrary<String> message = Combinators.combine(
            Arbitraries.of("user", "assistant", "system", "developer", "tool", "robot"), value(3), toolCalls())
        .as((role, content, calls) -> object(Map.of("role", quote(role), "content", content, "tool_calls", calls,
            "tool_call_id", quote("call_1"))));
    return Combinators.combine(message.list().ofMaxSize(4), tools("function"), value(2), value(2))
        .as((messages, tools, max, extra) -> object(Map.of("model", quote("demo"), "messages", array(messages),
            "tools", tools, "max_tokens", max, "stream_options", extra)));
  }

  private Arbitrary<String> messagesBody() {
    Arbitrary<String> block = Combinators.combine(
            Arbitraries.of("text", "image", "tool_use", "tool_result", "thinking", "redacted_thinking", "video"),
            value(2), value(3), value(2))
        .as((type, text, input, source) -> object(Map.of("type", quote(type), "text", text, "input", input,
            "source", source, "id", quote("tu_1"), "name", quote("f"), "tool_use_id", quote("tu_1"),
            "content", text, "thinking", text)));
    Arbitrary<String> content = Arbitraries.oneOf(value(1), block.list().ofMaxSize(3).map(RequestDecodersFuzzTest::array));
    Arbitrary<String> message = Combinators.combine(Arbitraries.of("user", "assistant", "system"), content)
        .as((role, c) -> object(Map.of("role", quote(role), "content", c)));
    return Combinators.combine(message.list().ofMaxSize(4), tools("custom"), value(1), value(2))
        .as((messages, tools, max, system) -> object(Map.of("model", quote("demo"), "max_tokens", max,
            "messages", array(messages), "tools", tools, "system", system)));
  }

  private Arbitrary<String> embeddingsBody() {
    return Combinators.combine(value(2), Arbitraries.of("\"float\"", "\"base64\"", "1", "null"), value(1))
        .as((input, format, dims) -> object(Map.of("model", quote("embed"), "input", input,
            "encoding_format", format, "dimensions", dims)));
  }

  private Arbitrary<String> tools(String kind) {
    Arbitrary<String> tool = Combinators.combine(schema(4), value(1))
        .as((schema, description) -> kind.equals("function")
            ? object(Map.of("type", quote("function"), "function",
                object(Map.of("name", quote("f"), "parameters", schema, "description", description))))
            : object(Map.of("name", quote("f"), "input_schema", schema, "description", description)));
    return Arbitraries.oneOf(Arbitraries.just("null"), tool.list().ofMaxSize(2).map(RequestDecodersFuzzTest::array));
  }

  private Arbitrary<String> schema(int depth) {
    if (depth == 0) {
      return Arbitraries.of("{\"type\":\"string\"}", "{\"type\":[\"string\",\"null\"]}", "{\"const\":1}", "{}");
    }
    return Arbitraries.lazy(() -> Combinators.combine(schema(depth - 1), Arbitraries.of("object", "array", "x"))
        .as((inner, type) -> "{\"type\":\"" + type + "\",\"properties\":{\"p\":" + inner + "},\"items\":" + inner
            + ",\"anyOf\":[" + inner + ",1],\"additionalProperties\":false}"));
  }

  private Arbitrary<String> toolCalls() {
    Arbitrary<String> call = value(3).map(args -> "[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":"
        + quote(args) + "}}]");
    return Arbitraries.oneOf(Arbitraries.just("null"), call, value(1));
  }

  /** JSON text: scalars, and arrays and objects of up to {@code depth} levels, keyed from the decoders' field names. */
  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        Arbitraries.of(WORDS).map(RequestDecodersFuzzTest::quote),
        Arbitraries.strings().ofMaxLength(12).map(RequestDecodersFuzzTest::quote),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.of("0", "-1", "1.5", "1e999", "-1e999", "2147483648", "1e-400", "true", "false", "null",
            "9223372036854775808", "0.0000001", "1E3"));
    if (depth == 0) {
      return scalar;
    }
    return Arbitraries.lazy(() -> Arbitraries.frequencyOf(
        Tuple.of(4, scalar),
        Tuple.of(2, value(depth - 1).list().ofMaxSize(3).map(RequestDecodersFuzzTest::array)),
        Tuple.of(3, Combinators.combine(Arbitraries.of(KEYS), value(depth - 1)).as(Map::entry).list().ofMaxSize(4)
            .map(entries -> {
              StringBuilder b = new StringBuilder("{");
              entries.forEach(e -> b.append(b.length() > 1 ? "," : "").append(quote(e.getKey())).append(':').append(e.getValue()));
              return b.append('}').toString();
            }))));
  }

  /** A body with a chat field nested around every depth limit. */
  private Arbitrary<String> deep() {
    // mostly near the limits: the small reader's, and Jackson's write depth less a translation's added levels
    Arbitrary<Integer> depth = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.integers().between(1, 1100)),
        Tuple.of(1, Arbitraries.integers().between(40, 56)),
        Tuple.of(3, Arbitraries.integers().between(960, 1005)));
    return Combinators.combine(depth, Arbitraries.of("[", "{\"a\":"),
            Arbitraries.of("messages", "tools", "input_schema", "arguments", "input", "content", "metadata"))
        .as((n, open, field) -> {
          String close = open.equals("[") ? "]" : "}";
          String nested = open.repeat(n) + "1" + close.repeat(n);
          String schema = "{\"type\":\"object\",\"properties\":{\"p\":" + nested + "}}";
          return switch (field) {
            case "tools" -> "{\"model\":\"demo\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":" + schema + "}}]}";
            case "input_schema" -> "{\"model\":\"demo\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"tools\":[{\"name\":\"f\",\"input_schema\":" + schema + "}]}";
            case "arguments" -> "{\"model\":\"demo\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\","
                + "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":" + quote("{\"a\":" + nested + "}")
                + "}}]},{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"ok\"}]}";
            case "input" -> "{\"model\":\"demo\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{\"a\":" + nested + "}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":\"ok\"}]}]}";
            default -> "{\"model\":\"demo\",\"max_tokens\":5,\"" + field + "\":" + nested + "}";
          };
        });
  }

  private Arbitrary<String> longNumbers() {
    return Combinators.combine(Arbitraries.integers().between(1, 1200), Arbitraries.of("max_tokens", "n", "temperature", "dimensions"),
            Arbitraries.of("9", "1", "0"), Arbitraries.of("", ".5", "e5", "e-99999"))
        .as((digits, field, digit, tail) -> "{\"model\":\"demo\",\"input\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\""
            + field + "\":" + digit.repeat(digits) + tail + "}");
  }

  private Arbitrary<String> longNames() {
    return Arbitraries.integers().between(1, 60_000)
        .map(n -> "{\"model\":\"demo\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\""
            + "n".repeat(n) + "\":1}");
  }

  /** The text with a few random edits: characters inserted, dropped or replaced, or the end cut off. */
  private static Arbitrary<String> edited(String text) {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, Math.max(0, text.length() - 1));
    Arbitrary<Character> c = Arbitraries.of('{', '}', '[', ']', '"', ',', ':', '\\', '0', '-', 'e', 'x', '\u0000', '\uD800');
    return Combinators.combine(at, c, Arbitraries.integers().between(0, 3)).as((i, ch, op) -> switch (op) {
      case 0 -> text.substring(0, i) + ch + text.substring(i);
      case 1 -> text.isEmpty() ? text : text.substring(0, i) + text.substring(i + 1);
      case 2 -> text.isEmpty() ? text : text.substring(0, i) + ch + text.substring(i + 1);
      default -> text.substring(0, i);
    });
  }

  private static String quote(String s) {
    return new TextNode(s).toString();
  }

  private static String array(List<String> items) {
    return "[" + String.join(",", items) + "]";
  }

  /** An object of the fields whose value is not absent ({@code null} values are kept: decoders see JSON null). */
  private static String object(Map<String, String> fields) {
    StringBuilder b = new StringBuilder("{");
    fields.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
    return b.append('}').toString();
  }
}
