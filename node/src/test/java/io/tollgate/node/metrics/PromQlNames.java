package io.tollgate.node.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana {@code label_values(...)} query) reads:
 * identifiers left once strings, label matchers, ranges, grouping clauses, Grafana variables,
 * numbers, functions and keywords are taken out.
 */
final class PromQlNames {
  private static final Set<String> KEYWORDS = Set.of(
      "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
      "offset", "inf", "nan");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([^,()]*),\\s*\\w+\\s*\\)");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern TOKEN =
      Pattern.compile("(\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)|([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

  private PromQlNames() {}

  static Set<String> in(String query) {
    String q = LABEL_VALUES.matcher(query).replaceAll("$1");
    q = q.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ").replaceAll("'(?:[^'\\\\]|\\\\.)*'", " ");
    q = q.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
    q = GROUPING.matcher(q).replaceAll(" ");
    q = q.replaceAll("\\$\\w+", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = TOKEN.matcher(q);
    while (m.find()) {
      String name = m.group(2);
      boolean isCall = m.group(3) != null;
      if (name != null && !isCall && !KEYWORDS.contains(name.toLowerCase())) {
        names.add(name);
      }
    }
    return names;
  }
}
