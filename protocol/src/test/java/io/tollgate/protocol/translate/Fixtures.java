package io.tollgate.protocol.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.sse.SseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads test fixtures from {@code src/test/resources/fixtures/}, replays provider streams, and
 * compares JSON and client streams with expected fixtures. Only minted values may differ: an
 * expected string {@code "<any>"} matches any present, non-null value, {@code "<prefix:msg_>"}
 * any string starting with {@code msg_}. Everything else must be equal (object key order aside).
 */
public final class Fixtures {
  public static final String ANY = "<any>";
  public static final String BASE_URL = "http://upstream.test";
  public static final String API_KEY = "sk-test-secret";
  private static final String PREFIX = "<prefix:";

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

  /** The bytes of {@code fixtures/<path>}, as a provider would send them. */
  public static byte[] bytes(String path) {
    return text(path).getBytes(StandardCharsets.UTF_8);
  }

  /** The SSE transcript at {@code fixtures/<path>}, parsed into events. */
  public static List<SseEvent> sse(String path) {
    return parseSse(text(path));
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
    return parseSse(text);
  }

  /** The {@code input_tokens} an Anthropic client reads from the first event, {@code message_start}. */
  public static long messageStartInputTokens(String clientStream) {
    return parse(parseClientStream(clientStream).get(0).data()).at("/message/usage/input_tokens").asLong();
  }

  /** An endpoint at {@link #BASE_URL} with key {@link #API_KEY}; not Azure. */
  public static ProviderEndpoint endpoint(BackendSchema schema) {
    return new ProviderEndpoint(
        schema.name().toLowerCase(Locale.ROOT), schema, BASE_URL, Secret.of(API_KEY),
        null, schema == BackendSchema.ANTHROPIC ? "2023-06-01" : null, Map.of());
  }

  /** The request's headers by name (each name appears once in what codecs build). */
  public static Map<String, String> headers(UpstreamRequest request) {
    return request.headers().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static List<SseEvent> parseSse(String text) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(text.getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.finish());
    return events;
  }

  /** Parses JSON bytes (a client or upstream body). */
  public static JsonNode parse(byte[] body) {
    return parse(new String(body, StandardCharsets.UTF_8));
  }

  /** Parses JSON text (an SSE event's data, a request written in a test). */
  public static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** Asserts that the JSON matches the expected tree, minted values aside (see the class comment). */
  public static void assertJsonMatches(JsonNode actual, JsonNode expected) {
    List<String> problems = new ArrayList<>();
    compare("$", actual, expected, problems);
    if (!problems.isEmpty()) {
      fail("JSON differs from the fixture:\n  " + String.join("\n  ", problems)
          + "\nactual:   " + actual + "\nexpected: " + expected);
    }
  }

  /** Asserts that the JSON bytes match the fixture at {@code fixtures/<expectedFixture>}. */
  public static void assertJsonMatches(byte[] actual, String expectedFixture) {
    assertJsonMatches(parse(actual), json(expectedFixture));
  }

  /** The client stream has the fixture's events, in order, with matching names and data. */
  public static void assertStreamMatches(String actualStream, String expectedFixture) {
    List<SseEvent> actual = parseClientStream(actualStream);
    List<SseEvent> expected = sse(expectedFixture);
    assertThat(actual.stream().map(Fixtures::name).toList())
        .as("event sequence of the client stream (%s):\n%s", expectedFixture, actualStream)
        .containsExactlyElementsOf(expected.stream().map(Fixtures::name).toList());
    for (int i = 0; i < expected.size(); i++) {
      String data = expected.get(i).data();
      if (data.startsWith("{")) {
        assertJsonMatches(parse(actual.get(i).data()), parse(data));
      } else {
        assertThat(actual.get(i).data()).as("data of event %s", i).isEqualTo(data);
      }
    }
  }

  private static String name(SseEvent e) {
    return e.event() == null ? "(data)" : e.event();
  }

  private static void compare(String path, JsonNode actual, JsonNode expected, List<String> problems) {
    if (expected.isTextual() && expected.asText().equals(ANY)) {
      if (actual == null || actual.isMissingNode() || actual.isNull()) {
        problems.add(path + ": missing, expected any value");
      }
      return;
    }
    if (expected.isTextual() && expected.asText().startsWith(PREFIX) && expected.asText().endsWith(">")) {
      String prefix = expected.asText().substring(PREFIX.length(), expected.asText().length() - 1);
      if (actual == null || !actual.isTextual() || !actual.asText().startsWith(prefix)) {
        problems.add(path + ": expected a string starting with " + prefix + " but was " + actual);
      }
      return;
    }
    if (actual == null) {
      problems.add(path + ": missing, expected " + expected);
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        compare(path + "." + e.getKey(), actual.get(e.getKey()), e.getValue(), problems);
      }
      for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!expected.has(name)) {
          problems.add(path + "." + name + ": unexpected field " + actual.get(name));
        }
      }
    } else if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        problems.add(path + ": " + actual.size() + " elements, expected " + expected.size());
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", actual.get(i), expected.get(i), problems);
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      // 1 and 1.0 differ on the wire; an int and a long of the same value do not
      if (expected.isIntegralNumber() != actual.isIntegralNumber()
          || expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        problems.add(path + ": " + actual + ", expected " + expected);
      }
    } else if (!expected.equals(actual)) {
      problems.add(path + ": " + actual + ", expected " + expected);
    }
  }
}
