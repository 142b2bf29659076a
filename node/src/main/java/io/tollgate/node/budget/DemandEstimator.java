package io.tollgate.node.budget;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;

/**
 * A request's worst case before it is sent (what admission reserves) and its actual usage after
 * (what is settled). The worst case prices every prompt token as uncached input and assumes the
 * whole output allowance is used; the actual must be built from the same cost the audit record
 * carries, so the ledger and the audit agree to the micro-dollar.
 */
public final class DemandEstimator {
  /** Output allowance assumed when neither the request nor the catalogue gives one. */
  public static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;

  private DemandEstimator() {}

  /** Worst case of a chat request: its prompt counted here, its own max tokens or the default. */
  public static Demand chat(ChatRequest request, Price price) {
    return chat(TokenCounter.countPrompt(request), request.maxTokens(), null, price);
  }

  /**
   * Worst case of a chat call.
   *
   * @param requestMaxOutput the request's output limit, or null
   * @param modelDefaultMaxOutput the model's default output limit from the catalogue, or null
   *     ({@value #DEFAULT_MAX_OUTPUT_TOKENS} then)
   */
  public static Demand chat(long promptTokens, Integer requestMaxOutput, Integer modelDefaultMaxOutput, Price price) {
    long maxOut = requestMaxOutput != null && requestMaxOutput > 0 ? requestMaxOutput
        : modelDefaultMaxOutput != null && modelDefaultMaxOutput > 0 ? modelDefaultMaxOutput
        : DEFAULT_MAX_OUTPUT_TOKENS;
    long prompt = Math.max(0, promptTokens);
    return new Demand(price.costMicros(new Usage(prompt, 0, 0, maxOut, false)), prompt + maxOut, 1);
  }

  /**
   * The worst case over a model group's deployments: the one whose price makes {@code demand}
   * dearest, so the admission covers whichever deployment ends up serving the call.
   */
  public static Demand dearest(ModelGroup group, java.util.function.Function<Price, Demand> demand) {
    Demand worst = null;
    for (ModelRoute d : group.deployments()) {
      Demand next = demand.apply(d.price());
      worst = worst == null || next.usdMicros() > worst.usdMicros() ? next : worst;
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
}
