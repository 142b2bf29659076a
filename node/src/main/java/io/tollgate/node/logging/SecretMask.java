package io.tollgate.node.logging;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The last line of defence of the logs: every secret form the gateway knows is replaced by
 * {@value #MASK} in both log formats. By shape: Tollgate keys and tenant admin tokens
 * ({@code tg_}, {@code tga_}), OpenAI and Anthropic keys ({@code sk-}, {@code sk-proj-},
 * {@code sk-ant-}), Google keys ({@code AIza}), AWS access key ids ({@code AKIA}, {@code ASIA}),
 * any bearer token and any value after a credential name ({@code api-key: ...},
 * {@code aws_secret_access_key=...}). By value: the configured global admin token and every
 * provider's {@code api-key} (Azure and Mistral keys have no shape of their own).
 */
public final class SecretMask {
  public static final String MASK = "[REDACTED]";
  /** Shorter configured values are not masked by value: they would mask ordinary words. */
  private static final int MIN_LITERAL = 8;

  private static final Pattern SHAPES = Pattern.compile(
      // tenant admin tokens are dotted (tga_<tenant>.<id>.<random>.<tag>): mask all four parts
      "tga_[A-Za-z0-9_.-]{8,}"
          + "|(?:tg_|sk-)[A-Za-z0-9_-]{8,}"
          + "|AIza[0-9A-Za-z_-]{20,}"
          + "|(?:AKIA|ASIA)[0-9A-Z]{16}"
          + "|(?i:bearer)\\s+[A-Za-z0-9._~+/=-]{8,}"
          + "|(?i:(?:x-)?api[-_]?key|x-goog-api-key|aws_secret_access_key|secret|password|token)"
          + "[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?[A-Za-z0-9._~+/=-]{8,}");

  private static final Set<String> LITERALS = ConcurrentHashMap.newKeySet();

  private SecretMask() {}

  /** Masks {@code secret} wherever it appears in a log line from now on (null, blank or short: ignored). */
  public static void register(String secret) {
    if (secret != null && secret.strip().length() >= MIN_LITERAL) {
      LITERALS.add(secret.strip());
    }
  }

  /** Registers the global admin token and every provider's {@code api-key} of {@code config}. */
  public static void registerConfigured(Config config) {
    register(config.getString("tollgate.admin-token"));
    if (!config.hasPath("tollgate.providers")) {
      return;
    }
    Config providers = config.getConfig("tollgate.providers");
    providers.root().forEach((name, value) -> {
      if (value.valueType() == ConfigValueType.OBJECT && providers.hasPath(name + ".api-key")) {
        register(providers.getString(name + ".api-key"));
      }
    });
  }

  /** {@code text} with every known secret replaced; the same instance when there was none. */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String literal : LITERALS) {
      if (out.contains(literal)) {
        out = out.replace(literal, MASK);
      }
    }
    if (!mayHoldShape(out)) {
      return out;
    }
    var m = SHAPES.matcher(out);
    return m.find() ? m.replaceAll(MASK) : out;
  }

  /**
   * False only when no alternative of {@link #SHAPES} can match: none of their fixed anchors is in
   * {@code text}. Every log line's every string goes through {@link #mask}; running the regex (five
   * alternatives tried at every position) only where an anchor is found keeps that cheap.
   */
  static boolean mayHoldShape(String text) {
    if (text.contains("tg_") || text.contains("tga_") || text.contains("sk-") || text.contains("AIza")
        || text.contains("AKIA") || text.contains("ASIA")) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      switch (text.charAt(i) | 0x20) {
        case 'b' -> {
          if (text.regionMatches(true, i, "bearer", 0, 6)) {
            return true;
          }
        }
        case 'a' -> {
          if (credentialAt(text, i, "aws_secret_access_key") || apiKeyAt(text, i)) {
            return true;
          }
        }
        case 's' -> {
          if (credentialAt(text, i, "secret")) {
            return true;
          }
        }
        case 'p' -> {
          if (credentialAt(text, i, "password")) {
            return true;
          }
        }
        case 't' -> {
          if (credentialAt(text, i, "token")) {
            return true;
          }
        }
        default -> { }
      }
    }
    return false;
  }

  /** {@code api}, an optional {@code -} or {@code _}, {@code key} at {@code i}, then an assignment. */
  private static boolean apiKeyAt(String text, int i) {
    if (!text.regionMatches(true, i, "api", 0, 3)) {
      return false;
    }
    int k = i + 3;
    if (k < text.length() && (text.charAt(k) == '-' || text.charAt(k) == '_')) {
      k++;
    }
    return credentialAt(text, k, "key");
  }

  /** {@code name} (any case) at {@code i}, then what {@link #SHAPES} allows before the value: {@code ["']?\s{0,3}[:=]}. */
  private static boolean credentialAt(String text, int i, String name) {
    if (!text.regionMatches(true, i, name, 0, name.length())) {
      return false;
    }
    int k = i + name.length();
    if (k < text.length() && (text.charAt(k) == '"' || text.charAt(k) == '\'')) {
      k++;
    }
    for (int spaces = 0; spaces < 3 && k < text.length() && isRegexSpace(text.charAt(k)); spaces++) {
      k++;
    }
    return k < text.length() && (text.charAt(k) == ':' || text.charAt(k) == '=');
  }

  /** {@code \s} of {@link java.util.regex.Pattern}: space, tab, newline, vertical tab, form feed, return. */
  private static boolean isRegexSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  /** The regex alone, without the anchor check: for the test that the check never skips a match. */
  static String maskByRegexOnly(String text) {
    var m = SHAPES.matcher(text);
    return m.find() ? m.replaceAll(MASK) : text;
  }
}
