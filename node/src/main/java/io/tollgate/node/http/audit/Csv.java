package io.tollgate.node.http.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * CSV lines (RFC 4180, CRLF) written from the same JSON objects the API returns, so an export has
 * the same rows and the same numbers as the JSON. Text that a spreadsheet would run as a formula
 * (starting with {@code = + - @}, a tab or a carriage return, and not a number) gets a leading
 * {@code '}.
 */
public final class Csv {
  private Csv() {}

  public static String header(List<String> columns) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      b.append(i == 0 ? "" : ",").append(quote(columns.get(i)));
    }
    return b.append("\r\n").toString();
  }

  public static String row(JsonNode object, List<String> columns) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      JsonNode v = object.get(columns.get(i));
      if (v == null || v.isNull() || v.isMissingNode()) {
        continue;
      }
      b.append(v.isTextual() ? quote(defuse(v.asText())) : v.asText());
    }
    return b.append("\r\n").toString();
  }

  static String quote(String s) {
    // An empty text is quoted so that it stays apart from a null (an empty field).
    boolean needs = s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
        || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))));
    return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static String defuse(String s) {
    if (s.isEmpty() || "=+-@\t\r".indexOf(s.charAt(0)) < 0 || s.matches("[+-]?[0-9]+(\\.[0-9]+)?")) {
      return s;
    }
    return "'" + s;
  }
}
