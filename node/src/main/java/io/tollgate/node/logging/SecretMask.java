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
    var m = SHAPES.matcher(out);
    return m.find() ? m.replaceAll(MASK) : out;
  }
}
