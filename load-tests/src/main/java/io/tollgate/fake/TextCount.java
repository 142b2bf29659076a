package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fake's deterministic token counting: whitespace-separated words of every text part, plus
 * {@value #PER_MESSAGE} per message (the system prompt counts as a message).
 */
final class TextCount {
  static final int PER_MESSAGE = 3;

  private TextCount() {}

  static int words(String s) {
    int count = 0;
    boolean inWord = false;
    for (int i = 0; i < s.length(); i++) {
      boolean space = Character.isWhitespace(s.charAt(i));
      if (!space && !inWord) {
        count++;
      }
      inWord = !space;
    }
    return count;
  }

  /**
   * Words in a content value of any provider: a string, an array of parts, or a part object
   * ({@code text} and nested {@code content}, e.g. an Anthropic tool result).
   */
  static int words(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return words(content.asText());
    }
    int n = 0;
    if (content.isArray()) {
      for (JsonNode part : content) {
        n += words(part);
      }
    } else if (content.isObject()) {
      JsonNode text = content.get("text");
      if (text != null && text.isTextual()) {
        n += words(text.asText());
      }
      n += words(content.get("content"));
    }
    return n;
  }

  /** Prompt tokens of a message list: {@value #PER_MESSAGE} plus the words of each message's {@code contentField}. */
  static int messageTokens(JsonNode messages, String contentField) {
    int tokens = 0;
    for (JsonNode m : messages) {
      tokens += PER_MESSAGE + words(m.get(contentField));
    }
    return tokens;
  }

  /**
   * The text of the last message with role {@code user} (directives are read from it); empty when
   * there is none. Where {@code rolelessIsUser} (Gemini), a message without a role is the user's.
   */
  static String lastUserText(JsonNode messages, String contentField, boolean rolelessIsUser) {
    String last = "";
    for (JsonNode m : messages) {
      String role = m.path("role").asText("");
      if (role.equals("user") || (rolelessIsUser && role.isEmpty())) {
        last = text(m.get(contentField));
      }
    }
    return last;
  }

  /** All text of a content value, parts joined by newlines; used to find directives. */
  static String text(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    if (content.isArray()) {
      for (JsonNode part : content) {
        String t = text(part);
        if (!t.isEmpty()) {
          if (sb.length() > 0) {
            sb.append('\n');
          }
          sb.append(t);
        }
      }
    } else if (content.isObject()) {
      JsonNode t = content.get("text");
      if (t != null && t.isTextual()) {
        sb.append(t.asText());
      }
    }
    return sb.toString();
  }
}
