package io.tollgate.node.routing;

import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.usage.Price;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Builds a deployment of the test model {@link #MODEL}: global, weight 1, priority 1, free, no TPM limit unless set. */
final class Deployment {
  static final String MODEL = "chat-model";
  static final String SECRET = "sk-test-secret-never-shown";

  private final String id;
  private String region = "";
  private int weight = 1;
  private int priority = 1;
  private long tpm;
  private Price price = Price.FREE;

  private Deployment(String id) {
    this.id = id;
  }

  static Deployment deployment(String id) {
    return new Deployment(id);
  }

  Deployment region(String value) {
    region = value;
    return this;
  }

  Deployment weight(int value) {
    weight = value;
    return this;
  }

  Deployment priority(int value) {
    priority = value;
    return this;
  }

  Deployment providerTpm(long value) {
    tpm = value;
    return this;
  }

  /** USD per million input and output tokens. */
  Deployment price(String input, String output) {
    price = new Price(new BigDecimal(input), new BigDecimal(output), new BigDecimal(input), new BigDecimal(input));
    return this;
  }

  ModelRoute build() {
    ProviderEndpoint endpoint = new ProviderEndpoint(
        "provider-" + id, BackendSchema.OPENAI, "http://localhost:1", Secret.of(SECRET), null, null, Map.of());
    return new ModelRoute(MODEL, endpoint, "upstream-" + id, price, id, region, weight, priority, tpm);
  }

  static ModelGroup group(RoutingStrategy strategy, Deployment... deployments) {
    return new ModelGroup(MODEL, strategy, java.util.Arrays.stream(deployments).map(Deployment::build).toList());
  }

  static List<String> ids(RoutingDecision decision) {
    return decision.candidates().stream().map(ModelRoute::deploymentId).toList();
  }

  /** A plain non-streaming request: 1,000 input tokens, at most 500 out, no tenant policy. */
  static RoutingRequest request() {
    return new RoutingRequest(null, false, 1_000, 500, null);
  }
}
