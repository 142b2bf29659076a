package io.tollgate.node.audit;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF line ends. */
final class CsvParser {
  private CsvParser() {}

  /** The rows of {@code text}; a quoted empty field reads as "", an unquoted empty one as null. */
  static List<List<String>> parse(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      if (text.charAt(i) == '"') {
        quoted = true;
        i++;
        while (true) {
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < text.length() && text.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
      } else {
        while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\r') {
          field.append(text.charAt(i++));
        }
      }
      row.add(quoted || field.length() > 0 ? field.toString() : null);
      if (i < text.length() && text.charAt(i) == ',') {
        i++;
      } else if (text.startsWith("\r\n", i)) {
        i += 2;
        rows.add(row);
        row = new ArrayList<>();
      } else if (i < text.length()) {
        throw new IllegalArgumentException("bad CSV at " + i);
      }
    }
    if (!row.isEmpty()) {
      rows.add(row);
    }
    return rows;
  }
}
