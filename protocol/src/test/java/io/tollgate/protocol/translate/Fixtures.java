package io.tollgate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads test fixtures from {@code src/test/resources/fixtures/}, replays provider streams, and
 * compares JSON where an expected value of {@code "<any>"} stands for a minted id or a timestamp.
 */
public final class Fixtures {
  public static final String ANY = "<any>";
  public static final String BASE_URL = "http://upstream.test";
  public static final String API_KEY = "sk-test-secret";

  private Fixtures() {}

  /** The JSON file at {@code fixtures/<path>}. */
  public static JsonNode json(String path) {
    try {
      return Json.MAPPER.readTree(text(path));
    } catch (IOException e) {
      throw new UncheckedIOException("fixture " + path + " is not JSON", e);
    }
  }

  /** The UTF-8 text of {@code fixtures/<path>}. */
  public static String text(String path) {
    String resource = "/fixtures/" + path;
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SSE transcript at {@code fixtures/<path>}, parsed into events. */
  public static List<SseEvent> sse(String path) {
    return parse(text(path));
  }

  /** Feeds every event of the transcript through the translator, then ends the stream. */
  public static String replay(ChatTranslator translator, String ssePath) {
    StringBuilder out = new StringBuilder();
    for (SseEvent event : sse(ssePath)) {
      out.append(translator.onStreamEvent(event));
    }
    out.append(translator.onStreamEnd());
    return out.toString();
  }

  /** What a client would parse from the gateway's SSE output. */
  public static List<SseEvent> parseClientStream(String text) {
    return parse(text);
  }

  /** An endpoint at {@link #BASE_URL} with key {@link #API_KEY}; not Azure. */
  public static ProviderEndpoint endpoint(BackendSchema schema) {
    return new ProviderEndpoint(
        schema.name().toLowerCase(java.util.Locale.ROOT), schema, BASE_URL, Secret.of(API_KEY),
        null, schema == BackendSchema.ANTHROPIC ? "2023-06-01" : null, Map.of());
  }

  private static List<SseEvent> parse(String text) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(text.getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.finish());
    return events;
  }

  /** Parses JSON bytes (a client or upstream body). */
  public static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
    }
  }

  /** Asserts equal JSON trees, where {@code "<any>"} in expected matches any non-null actual value. */
  public static void assertJsonMatches(JsonNode actual, JsonNode expected) {
    assertThat(actual).isEqualTo(fillAny(expected, actual));
  }

  /**
   * Asserts that the client SSE text carries the same events as the expected transcript at
   * {@code fixtures/<expectedPath>}, comparing JSON data with {@link #assertJsonMatches}.
   */
  public static void assertStreamMatches(String actualText, String expectedPath) {
    List<SseEvent> actual = parseClientStream(actualText);
    List<SseEvent> expected = sse(expectedPath);
    assertThat(actual).as("events of %s", expectedPath).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      String want = expected.get(i).data();
      String got = actual.get(i).data();
      assertThat(actual.get(i).event()).as("event name %d", i).isEqualTo(expected.get(i).event());
      if (want.startsWith("{")) {
        try {
          assertJsonMatches(Json.MAPPER.readTree(got), Json.MAPPER.readTree(want));
        } catch (IOException e) {
          throw new AssertionError("event " + i + " is not JSON: " + got, e);
        }
      } else {
        assertThat(got).as("event %d", i).isEqualTo(want);
      }
    }
  }

  private static JsonNode fillAny(JsonNode expected, JsonNode actual) {
    if (expected.isTextual() && ANY.equals(expected.asText())) {
      return actual != null && !actual.isNull() && !actual.isMissingNode() ? actual : expected;
    }
    if (expected.isObject() && actual != null && actual.isObject()) {
      ObjectNode out = Json.MAPPER.createObjectNode();
      expected.fields().forEachRemaining(f -> out.set(f.getKey(), fillAny(f.getValue(), actual.get(f.getKey()))));
      return out;
    }
    if (expected.isArray() && actual != null && actual.isArray()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      for (int i = 0; i < expected.size(); i++) {
        out.add(fillAny(expected.get(i), actual.get(i)));
      }
      return out;
    }
    return expected;
  }
}
