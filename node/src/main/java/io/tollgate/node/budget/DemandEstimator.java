package io.tollgate.node.budget;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;
import java.math.BigDecimal;
import java.util.function.Function;

/**
 * A request's worst case before it is sent (what admission reserves) and its actual usage after
 * (what is settled). The worst case prices every prompt token at the dearest input class (uncached
 * input or cache write, whichever costs more), counts each image at the provider's worst case and
 * assumes every completion uses its whole output cap, which the gateway sends upstream and enforces
 * on streams; the actual must be built from the same cost the audit record carries, so the ledger
 * and the audit agree to the micro-dollar.
 */
public final class DemandEstimator {
  private DemandEstimator() {}

  /**
   * Worst case of a chat call on one price.
   *
   * @param maxOutputTokens the output cap of one completion (the request's, or the configured default)
   * @param choices completions asked for (OpenAI {@code n})
   */
  public static Demand chat(long promptTokens, long maxOutputTokens, int choices, Price price) {
    long prompt = Math.max(0, promptTokens);
    long output = Math.max(0, maxOutputTokens) * Math.max(1, choices);
    BigDecimal input = price.inputPerMillion().max(price.cacheWritePerMillion());
    Price dearest = new Price(input, price.outputPerMillion(), input, input);
    return new Demand(dearest.costMicros(new Usage(prompt, 0, 0, output, false)), prompt + output, 1);
  }

  /**
   * Worst case of a chat request over a model group: on each deployment its prompt (images at that
   * deployment's worst case) and every completion's cap, and the dearest of those.
   * {@code request.maxTokens()} must already hold the cap sent upstream.
   */
  public static Demand chat(ChatRequest request, ModelGroup group, ReservationSettings settings) {
    return chat(request, TokenCounter.countPrompt(request, 0), group, settings);
  }

  /**
   * As {@link #chat(ChatRequest, ModelGroup, ReservationSettings)}, with the request's prompt
   * already counted: {@code textTokens} is {@code TokenCounter.countPrompt(request, 0)} (images
   * not counted), so a caller that needs the count too tokenizes the prompt once.
   */
  public static Demand chat(ChatRequest request, long textTokens, ModelGroup group, ReservationSettings settings) {
    long text = textTokens;
    int images = TokenCounter.images(request);
    long cap = request.maxTokens() == null ? settings.defaultMaxOutputTokens() : request.maxTokens();
    return dearest(group, route -> chat(
        text + (long) images * settings.imageTokens(route), cap, request.choices(), route.price()));
  }

  /**
   * The worst case over a model group's deployments: the most USD and the most tokens any of them
   * can cost (deployments count images differently), so the admission covers whichever deployment
   * ends up serving the call.
   */
  public static Demand dearest(ModelGroup group, Function<ModelRoute, Demand> demand) {
    Demand worst = null;
    for (ModelRoute d : group.deployments()) {
      Demand next = demand.apply(d);
      worst = worst == null ? next : new Demand(Math.max(worst.usdMicros(), next.usdMicros()),
          Math.max(worst.tokens(), next.tokens()), Math.max(worst.requests(), next.requests()));
    }
    return worst;
  }

  /** Worst case of an embeddings call: prompt tokens only. */
  public static Demand embeddings(long promptTokens, Price price) {
    long prompt = Math.max(0, promptTokens);
    return new Demand(price.costMicros(new Usage(prompt, 0, 0, 0, false)), prompt, 1);
  }

  /**
   * What a finished admitted call settles: {@code costMicros} exactly as written to its audit
   * record, its input plus output tokens, one request.
   */
  public static Demand actual(long costMicros, Usage usage) {
    return new Demand(Math.max(0, costMicros), usage.totalTokens(), 1);
  }

  /** Whether what a call actually cost passed what it reserved (in USD or in tokens). */
  public static boolean overran(Demand reserved, Demand actual) {
    return actual.usdMicros() > reserved.usdMicros() || actual.tokens() > reserved.tokens();
  }
}
