package io.tollgate.node.budget;

import com.typesafe.config.Config;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.BackendSchema;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a chat call's worst case assumes where the request does not say ({@code tollgate.budget.reservation}
 * in {@code tollgate/budget.conf}): the output cap sent upstream when the client sets none, the most
 * completions ({@code n}) a request may ask for, and the most input tokens one image can cost.
 *
 * @param imageTokensByModel upstream model name prefixes, longest first, and their image worst case
 */
public record ReservationSettings(
    int defaultMaxOutputTokens, int maxChoices, Map<BackendSchema, Integer> imageTokens,
    List<Map.Entry<String, Integer>> imageTokensByModel) {

  /** Reads {@code tollgate.budget.reservation}. */
  public static ReservationSettings from(Config config) {
    Config c = config.getConfig("tollgate.budget.reservation");
    Map<BackendSchema, Integer> bySchema = new EnumMap<>(BackendSchema.class);
    for (BackendSchema s : BackendSchema.values()) {
      bySchema.put(s, c.getInt("image-tokens." + s.name().toLowerCase(Locale.ROOT)));
    }
    Config byModel = c.getConfig("image-tokens-by-model");
    List<Map.Entry<String, Integer>> models = byModel.root().keySet().stream()
        .map(k -> Map.entry(k, byModel.getInt("\"" + k + "\"")))
        .sorted(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed())
        .toList();
    ReservationSettings s = new ReservationSettings(
        c.getInt("default-max-output-tokens"), c.getInt("max-choices"), Map.copyOf(bySchema), models);
    if (s.defaultMaxOutputTokens < 1 || s.maxChoices < 1) {
      throw new IllegalArgumentException(
          "tollgate.budget.reservation: default-max-output-tokens and max-choices must be at least 1");
    }
    return s;
  }

  /** The most input tokens one image can cost on this deployment: its model's value, else its schema's. */
  public int imageTokens(ModelRoute route) {
    for (Map.Entry<String, Integer> e : imageTokensByModel) {
      if (route.upstreamModel().startsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return imageTokens.get(route.endpoint().schema());
  }
}
