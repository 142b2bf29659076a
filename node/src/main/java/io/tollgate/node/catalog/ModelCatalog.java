package io.tollgate.node.catalog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.usage.Price;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The models this node serves, from {@code tollgate.providers} and {@code tollgate.models}. A
 * provider without an API key or base URL is disabled, and so are its models: they are neither
 * listed nor routable.
 */
public final class ModelCatalog {
  private final Map<String, ModelRoute> models;

  private ModelCatalog(Map<String, ModelRoute> models) {
    this.models = Collections.unmodifiableMap(models);
  }

  public static ModelCatalog from(Config config) {
    Map<String, ProviderEndpoint> providers = new HashMap<>();
    ConfigObject providerObjects = config.getObject("tollgate.providers");
    for (String name : providerObjects.keySet()) {
      Config p = providerObjects.toConfig().getConfig(quote(name));
      endpoint(name, p).ifPresent(e -> providers.put(name, e));
    }
    Map<String, ModelRoute> models = new LinkedHashMap<>();
    ConfigObject modelObjects = config.getObject("tollgate.models");
    for (String name : modelObjects.keySet().stream().sorted().toList()) {
      Config m = modelObjects.toConfig().getConfig(quote(name));
      ProviderEndpoint endpoint = providers.get(m.getString("provider"));
      if (endpoint != null) {
        models.put(name, new ModelRoute(name, endpoint, m.getString("upstream-model"), price(m.getConfig("price"))));
      }
    }
    return new ModelCatalog(models);
  }

  private static Optional<ProviderEndpoint> endpoint(String name, Config p) {
    String baseUrl = p.hasPath("base-url") ? p.getString("base-url").trim() : "";
    String apiKey = p.hasPath("api-key") ? p.getString("api-key").trim() : "";
    if (apiKey.isEmpty() || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      return Optional.empty();
    }
    Map<String, String> extra = new HashMap<>();
    if (p.hasPath("extra-headers")) {
      p.getObject("extra-headers").unwrapped().forEach((k, v) -> extra.put(k, String.valueOf(v)));
    }
    return Optional.of(
        new ProviderEndpoint(
            name,
            BackendSchema.parse(p.getString("schema")),
            baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl,
            Secret.of(apiKey),
            optional(p, "azure-api-version"),
            optional(p, "anthropic-version"),
            Map.copyOf(extra)));
  }

  private static String optional(Config c, String path) {
    return c.hasPath(path) ? c.getString(path) : null;
  }

  private static Price price(Config p) {
    BigDecimal input = decimal(p, "input");
    return new Price(
        input,
        decimal(p, "output"),
        p.hasPath("cached-input") ? decimal(p, "cached-input") : input,
        p.hasPath("cache-write") ? decimal(p, "cache-write") : input);
  }

  private static BigDecimal decimal(Config c, String path) {
    return c.hasPath(path) ? new BigDecimal(c.getString(path)) : BigDecimal.ZERO;
  }

  private static String quote(String key) {
    return "\"" + key + "\"";
  }

  public Optional<ModelRoute> route(String logicalModel) {
    return Optional.ofNullable(models.get(logicalModel));
  }

  public Collection<ModelRoute> all() {
    return models.values();
  }
}
