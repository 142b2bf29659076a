package io.tollgate.node.metrics;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenTelemetry {@code gen_ai.system} of each configured provider deployment, from its
 * {@code schema} in {@code tollgate.providers}: {@code openai}, {@code az.ai.openai} (an OpenAI
 * schema deployment with an {@code azure-api-version}), {@code anthropic}, {@code gcp.gemini};
 * {@code _OTHER} for a deployment not in the config.
 */
final class GenAiSystems {
  static final String OTHER = "_OTHER";

  private final Map<String, String> byProvider;

  private GenAiSystems(Map<String, String> byProvider) {
    this.byProvider = Map.copyOf(byProvider);
  }

  static GenAiSystems from(Config config) {
    Map<String, String> systems = new HashMap<>();
    if (config.hasPath("tollgate.providers")) {
      ConfigObject providers = config.getObject("tollgate.providers");
      for (String name : providers.keySet()) {
        Config p = providers.toConfig().getConfig("\"" + name + "\"");
        systems.put(name, system(p));
      }
    }
    return new GenAiSystems(systems);
  }

  private static String system(Config p) {
    String schema = p.hasPath("schema") ? p.getString("schema").trim().toLowerCase(Locale.ROOT) : "";
    boolean azure = p.hasPath("azure-api-version") && !p.getString("azure-api-version").isBlank();
    return switch (schema) {
      case "openai", "openai-compatible" -> azure ? "az.ai.openai" : "openai";
      case "azure", "azure-openai" -> "az.ai.openai";
      case "anthropic" -> "anthropic";
      case "gemini", "google" -> "gcp.gemini";
      default -> OTHER;
    };
  }

  String of(String provider) {
    return byProvider.getOrDefault(provider, OTHER);
  }
}
