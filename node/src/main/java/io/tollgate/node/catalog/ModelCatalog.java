package io.tollgate.node.catalog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.usage.Price;
import io.tollgate.node.routing.RoutingStrategy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The models this node serves, from {@code tollgate.providers} and {@code tollgate.models}: each
 * logical model is a group of deployments. A provider without an API key or base URL is disabled,
 * and so are its deployments; a model without any enabled deployment is neither listed nor routable.
 */
public final class ModelCatalog {
  private final Map<String, ModelGroup> models;

  private ModelCatalog(Map<String, ModelGroup> models) {
    this.models = Collections.unmodifiableMap(models);
  }

  public static ModelCatalog from(Config config) {
    Map<String, ProviderEndpoint> providers = new HashMap<>();
    ConfigObject providerObjects = config.getObject("tollgate.providers");
    for (String name : providerObjects.keySet()) {
      Config p = providerObjects.toConfig().getConfig(quote(name));
      endpoint(name, p).ifPresent(e -> providers.put(name, e));
    }
    Map<String, ModelGroup> models = new LinkedHashMap<>();
    ConfigObject modelObjects = config.getObject("tollgate.models");
    for (String name : modelObjects.keySet().stream().sorted().toList()) {
      group(name, modelObjects.toConfig().getConfig(quote(name)), providers).ifPresent(g -> models.put(name, g));
    }
    return new ModelCatalog(models);
  }

  /**
   * A model is either one deployment written inline ({@code provider}, {@code upstream-model},
   * {@code price}) or a {@code deployments} list with a {@code strategy}. Deployments on a disabled
   * provider are left out; a model left without any is not served.
   */
  private static Optional<ModelGroup> group(String name, Config m, Map<String, ProviderEndpoint> providers) {
    RoutingStrategy strategy = m.hasPath("strategy")
        ? RoutingStrategy.parse(m.getString("strategy")).orElseThrow(() ->
            new IllegalArgumentException("tollgate.models." + name + ".strategy: unknown strategy " + m.getString("strategy")))
        : RoutingStrategy.PRIORITY;
    List<? extends Config> entries = m.hasPath("deployments") ? m.getConfigList("deployments") : List.of(m);
    List<ModelRoute> deployments = new ArrayList<>();
    for (Config d : entries) {
      ProviderEndpoint endpoint = providers.get(d.getString("provider"));
      if (endpoint != null) {
        deployments.add(deployment(name, d, endpoint));
      }
    }
    return deployments.isEmpty() ? Optional.empty() : Optional.of(new ModelGroup(name, strategy, deployments));
  }

  private static ModelRoute deployment(String model, Config d, ProviderEndpoint endpoint) {
    String upstream = d.getString("upstream-model");
    return new ModelRoute(
        model,
        endpoint,
        upstream,
        price(d.getConfig("price")),
        d.hasPath("id") ? d.getString("id") : ModelRoute.defaultId(endpoint.name(), upstream),
        d.hasPath("region") ? d.getString("region") : "",
        d.hasPath("weight") ? d.getInt("weight") : 1,
        d.hasPath("priority") ? d.getInt("priority") : 1,
        d.hasPath("provider-tpm") ? d.getLong("provider-tpm") : 0);
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
            Map.copyOf(extra),
            optional(p, "output-cap-field")));
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

  public Optional<ModelGroup> group(String logicalModel) {
    return Optional.ofNullable(models.get(logicalModel));
  }

  public Collection<ModelGroup> all() {
    return models.values();
  }

  /** Every deployment of every model, once per deployment id. */
  public Collection<ModelRoute> deployments() {
    Map<String, ModelRoute> byId = new LinkedHashMap<>();
    for (ModelGroup g : models.values()) {
      g.deployments().forEach(d -> byId.putIfAbsent(d.deploymentId(), d));
    }
    return byId.values();
  }
}
