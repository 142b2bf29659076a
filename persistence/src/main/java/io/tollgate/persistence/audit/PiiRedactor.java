package io.tollgate.persistence.audit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces personal data and secrets in a stored body with {@code [REDACTED:<kind>]} (the kinds
 * and rules: {@link PiiRules}). Pure and thread-safe. Three forms of body:
 *
 * <ul>
 *   <li>JSON (a request, a whole answer): the rules run on each string's decoded value, which is
 *       then encoded again, so a value at the start of a line or after a tab is found and the body
 *       stays valid JSON; a string that is the value of a secret-sounding field ({@code api_key},
 *       {@code password}, {@code authorization} ...) is redacted whole.
 *   <li>Server-sent events (a streamed answer as the client received it): the strings at the same
 *       place of every {@code data:} frame ({@code choices/0/delta/content},
 *       {@code delta/text} ...) are joined into the text the client saw, the rules run on that
 *       text, and each frame gets its part of the result: a value split across chunks is masked.
 *   <li>Anything else: the rules on the text as it is.
 * </ul>
 */
public final class PiiRedactor {

  private PiiRedactor() {}

  /** The body with every finding replaced; null stays null. */
  public static String redact(String body) {
    if (body == null || body.isEmpty()) {
      return body;
    }
    String head = body.stripLeading();
    if (head.startsWith("{") || head.startsWith("[")) {
      return redactFragments(List.of(body)).get(0);
    }
    if (head.startsWith("data:") || head.startsWith("event:") || head.startsWith("id:") || head.startsWith(":")) {
      return redactEvents(body);
    }
    return PiiRules.apply(body);
  }

  // --- server-sent events -----------------------------------------------------------------------

  private static String redactEvents(String body) {
    List<String> lines = splitKeepingEnds(body);
    List<Integer> jsonLines = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    List<String> out = new ArrayList<>(lines);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("data:")) {
        String payload = line.substring(5);
        if (payload.stripLeading().startsWith("{") || payload.stripLeading().startsWith("[")) {
          jsonLines.add(i);
          payloads.add(payload);
          continue;
        }
      }
      out.set(i, PiiRules.apply(line));
    }
    List<String> redacted = redactFragments(payloads);
    for (int k = 0; k < jsonLines.size(); k++) {
      out.set(jsonLines.get(k), "data:" + redacted.get(k));
    }
    return String.join("", out);
  }

  private static List<String> splitKeepingEnds(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines.add(text.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }

  // --- JSON fragments ---------------------------------------------------------------------------

  /** A string literal of fragment {@code fragment}. */
  private record Piece(int fragment, JsonStrings.Literal literal) {}

  /**
   * Redacts JSON fragments that belong together (one body, or the frames of one stream): string
   * values at the same path are redacted as one joined text, field names and the text between
   * strings on their own.
   */
  private static List<String> redactFragments(List<String> fragments) {
    Map<String, List<Piece>> byPath = new LinkedHashMap<>();
    List<List<JsonStrings.Literal>> literals = new ArrayList<>();
    for (int f = 0; f < fragments.size(); f++) {
      List<JsonStrings.Literal> found = JsonStrings.scan(fragments.get(f));
      literals.add(found);
      for (JsonStrings.Literal l : found) {
        if (!l.fieldName()) {
          byPath.computeIfAbsent(l.path(), p -> new ArrayList<>()).add(new Piece(f, l));
        }
      }
    }
    // By identity: two frames can hold equal literals at equal offsets.
    Map<JsonStrings.Literal, String> replaced = new IdentityHashMap<>();
    byPath.values().forEach(pieces -> redactJoined(pieces, replaced));
    List<String> out = new ArrayList<>(fragments.size());
    for (int f = 0; f < fragments.size(); f++) {
      out.add(rewrite(fragments.get(f), literals.get(f), replaced));
    }
    return out;
  }

  /** Runs the rules over the joined values of {@code pieces} and records each piece's new value. */
  private static void redactJoined(List<Piece> pieces, Map<JsonStrings.Literal, String> replaced) {
    StringBuilder joined = new StringBuilder();
    for (Piece p : pieces) {
      JsonStrings.Literal l = p.literal();
      if (l.field() != null && PiiRules.secretName(l.field()) && !l.value().isEmpty()) {
        replaced.put(l, "[REDACTED:api_key]");
      }
      joined.append(l.value());
    }
    List<PiiRules.Match> matches = PiiRules.find(joined.toString());
    if (matches.isEmpty()) {
      return;
    }
    int offset = 0;
    for (Piece p : pieces) {
      JsonStrings.Literal l = p.literal();
      int from = offset;
      int to = offset + l.value().length();
      offset = to;
      if (replaced.containsKey(l)) {
        continue;
      }
      StringBuilder value = null;
      int cursor = 0;
      for (PiiRules.Match m : matches) {
        if (m.end() <= from || m.start() >= to) {
          continue;
        }
        if (value == null) {
          value = new StringBuilder(l.value().length());
        }
        int localStart = Math.max(m.start(), from) - from;
        value.append(l.value(), cursor, localStart);
        // The piece where a finding starts carries its marker; later pieces just lose their part.
        if (m.start() >= from) {
          value.append(m.replacement());
        }
        cursor = Math.min(m.end(), to) - from;
      }
      if (value != null) {
        replaced.put(l, value.append(l.value(), cursor, l.value().length()).toString());
      }
    }
  }

  /** The fragment with replaced values re-encoded, field names and the text between strings redacted too. */
  private static String rewrite(String fragment, List<JsonStrings.Literal> literals, Map<JsonStrings.Literal, String> replaced) {
    StringBuilder out = new StringBuilder(fragment.length());
    int last = 0;
    for (JsonStrings.Literal l : literals) {
      out.append(between(fragment.substring(last, l.start())));
      String value = l.fieldName() ? PiiRules.apply(l.value()) : replaced.get(l);
      if (value == null || value.equals(l.value())) {
        out.append(fragment, l.start(), l.end());
      } else {
        out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value));
        if (l.closed()) {
          out.append('"');
        }
      }
      last = l.end();
    }
    return out.append(between(fragment.substring(last))).toString();
  }

  /**
   * The text between two strings: in valid JSON only numbers, literals and punctuation. A card
   * number written as a JSON number becomes a string, so the body stays valid JSON.
   */
  private static String between(String text) {
    List<PiiRules.Match> matches = PiiRules.find(text);
    if (matches.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (PiiRules.Match m : matches) {
      boolean bareNumber = text.substring(m.start(), m.end()).chars().allMatch(Character::isDigit);
      out.append(text, last, m.start()).append(bareNumber ? "\"" + m.replacement() + "\"" : m.replacement());
      last = m.end();
    }
    return out.append(text, last, text.length()).toString();
  }
}
