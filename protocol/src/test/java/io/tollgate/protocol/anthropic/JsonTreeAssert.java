package io.tollgate.protocol.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.translate.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares JSON trees and client SSE streams with expected fixtures. Only minted values may
 * differ: an expected string {@code "<any>"} matches any value, {@code "<prefix:msg_>"} any string
 * starting with {@code msg_}. Everything else must be equal (object key order aside).
 */
public final class JsonTreeAssert {
  private JsonTreeAssert() {}

  public static void assertJsonMatches(JsonNode actual, JsonNode expected) {
    List<String> problems = new ArrayList<>();
    compare("$", actual, expected, problems);
    if (!problems.isEmpty()) {
      fail("JSON differs from the fixture:\n  " + String.join("\n  ", problems)
          + "\nactual:   " + actual + "\nexpected: " + expected);
    }
  }

  public static void assertJsonMatches(byte[] actual, String expectedFixture) {
    assertJsonMatches(parse(new String(actual, StandardCharsets.UTF_8)), Fixtures.json(expectedFixture));
  }

  /** The client stream has the fixture's events, in order, with matching names and data. */
  public static void assertStreamMatches(String actualStream, String expectedFixture) {
    List<SseEvent> actual = Fixtures.parseClientStream(actualStream);
    List<SseEvent> expected = Fixtures.sse(expectedFixture);
    assertThat(actual.stream().map(JsonTreeAssert::name).toList())
        .as("event sequence of the client stream:\n%s", actualStream)
        .containsExactlyElementsOf(expected.stream().map(JsonTreeAssert::name).toList());
    for (int i = 0; i < expected.size(); i++) {
      String data = expected.get(i).data();
      if (data.startsWith("{")) {
        assertJsonMatches(parse(actual.get(i).data()), parse(data));
      } else {
        assertThat(actual.get(i).data()).as("data of event %s", i).isEqualTo(data);
      }
    }
  }

  public static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String name(SseEvent e) {
    return e.event() == null ? "(data)" : e.event();
  }

  private static void compare(String path, JsonNode actual, JsonNode expected, List<String> problems) {
    if (expected.isTextual() && expected.asText().equals("<any>")) {
      if (actual == null || actual.isMissingNode()) {
        problems.add(path + ": missing");
      }
      return;
    }
    if (expected.isTextual() && expected.asText().startsWith("<prefix:") && expected.asText().endsWith(">")) {
      String prefix = expected.asText().substring(8, expected.asText().length() - 1);
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
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        problems.add(path + ": " + actual + ", expected " + expected);
      }
    } else if (!expected.equals(actual)) {
      problems.add(path + ": " + actual + ", expected " + expected);
    }
  }
}
