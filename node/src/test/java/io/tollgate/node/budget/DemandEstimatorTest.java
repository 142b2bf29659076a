package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tollgate.node.catalog.ModelGroup;
import io.tollgate.node.catalog.ModelRoute;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.Message;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.Role;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.Secret;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.TokenCounter;
import io.tollgate.protocol.usage.Usage;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemandEstimatorTest {
  /** USD 3 per million input tokens, 15 per million output: 3 and 15 micro-dollars per token. */
  private static final Price PRICE =
      new Price(new BigDecimal("3.00"), new BigDecimal("15.00"), new BigDecimal("0.30"), new BigDecimal("3.00"));
  /** Anthropic-like: cache writes (3.75) cost more than uncached input (3.00). */
  private static final Price CACHE_WRITE_DEARER =
      new Price(new BigDecimal("3.00"), new BigDecimal("15.00"), new BigDecimal("0.30"), new BigDecimal("3.75"));
  private static final ReservationSettings SETTINGS = ReservationSettings.from(
      ConfigFactory.parseResources("tollgate/budget.conf").resolve());

  @Test
  void reserves_the_prompt_and_the_output_cap() {
    Demand d = DemandEstimator.chat(1000, 200, 1, PRICE);

    assertThat(d).isEqualTo(new Demand(1000 * 3 + 200 * 15, 1200, 1));
  }

  @Test
  void prices_prompt_tokens_at_the_cache_write_price_when_that_is_dearer() {
    Demand d = DemandEstimator.chat(1000, 200, 1, CACHE_WRITE_DEARER);

    // 1000 x 3.75 + 200 x 15: a prompt written to the cache cannot cost more than this
    assertThat(d).isEqualTo(new Demand(3750 + 3000, 1200, 1));
  }

  @Test
  void reserves_every_completion_of_n() {
    assertThat(DemandEstimator.chat(100, 50, 3, PRICE)).isEqualTo(new Demand(100 * 3 + 3 * 50 * 15, 250, 1));
  }

  @Test
  void a_request_without_max_tokens_reserves_the_configured_default_that_is_sent_upstream() {
    ChatRequest request = request(List.of(new Part.Text("hello there")), null, 1);
    long prompt = TokenCounter.countPrompt(request);

    Demand d = DemandEstimator.chat(request, group(route("gpt-4o", BackendSchema.OPENAI, PRICE)), SETTINGS);

    assertThat(SETTINGS.defaultMaxOutputTokens()).isEqualTo(4096);
    assertThat(d).isEqualTo(new Demand(prompt * 3 + 4096 * 15, prompt + 4096, 1));
  }

  @Test
  void an_image_counts_at_the_providers_worst_case_not_85_tokens() {
    ChatRequest withImage = request(List.of(new Part.Text("what is this"), new Part.Image("image/png", "AAAA", null)), 10, 1);
    long text = TokenCounter.countPrompt(withImage, 0);

    Demand openAi = DemandEstimator.chat(withImage, group(route("gpt-4o", BackendSchema.OPENAI, PRICE)), SETTINGS);
    Demand mini = DemandEstimator.chat(withImage, group(route("gpt-4o-mini", BackendSchema.OPENAI, PRICE)), SETTINGS);
    Demand anthropic = DemandEstimator.chat(withImage, group(route("claude", BackendSchema.ANTHROPIC, PRICE)), SETTINGS);
    Demand gemini = DemandEstimator.chat(withImage, group(route("gemini", BackendSchema.GEMINI, PRICE)), SETTINGS);

    assertThat(openAi.tokens()).isEqualTo(text + 85 + 8 * 170 + 10);
    assertThat(mini.tokens()).isEqualTo(text + 2833 + 8 * 5667 + 10);
    assertThat(anthropic.tokens()).isEqualTo(text + 1600 + 10);
    assertThat(gemini.tokens()).isEqualTo(text + 16 * 258 + 10);
  }

  @Test
  void a_group_reserves_the_most_usd_and_the_most_tokens_of_any_deployment() {
    Price cheap = new Price(new BigDecimal("0.05"), new BigDecimal("0.20"), new BigDecimal("0.025"), new BigDecimal("0.05"));
    ChatRequest withImage = request(List.of(new Part.Image("image/png", "AAAA", null)), 10, 1);
    ModelGroup group = group(route("gpt-4o-mini", BackendSchema.OPENAI, cheap), route("claude", BackendSchema.ANTHROPIC, PRICE));

    Demand d = DemandEstimator.chat(withImage, group, SETTINGS);

    Demand mini = DemandEstimator.chat(withImage, group(group.deployments().get(0)), SETTINGS);
    Demand claude = DemandEstimator.chat(withImage, group(group.deployments().get(1)), SETTINGS);
    assertThat(mini.tokens()).isGreaterThan(claude.tokens());
    assertThat(mini.usdMicros()).isLessThan(claude.usdMicros());
    assertThat(d).isEqualTo(new Demand(claude.usdMicros(), mini.tokens(), 1));
  }

  @Test
  void embeddings_reserve_prompt_tokens_only() {
    Price embed = new Price(new BigDecimal("0.02"), BigDecimal.ZERO, new BigDecimal("0.02"), new BigDecimal("0.02"));

    assertThat(DemandEstimator.embeddings(100_000, embed)).isEqualTo(new Demand(2000, 100_000, 1));
  }

  @Test
  void actual_usage_carries_the_audited_cost_and_all_tokens() {
    Usage usage = Usage.fromAnthropic(100, 50, 25, 40);
    long cost = CACHE_WRITE_DEARER.costMicros(usage);

    assertThat(DemandEstimator.actual(cost, usage)).isEqualTo(new Demand(cost, 215, 1));
  }

  @Test
  void usage_past_the_reservation_in_usd_or_tokens_is_an_overrun() {
    Demand reserved = new Demand(1000, 100, 1);

    assertThat(DemandEstimator.overran(reserved, new Demand(1000, 100, 1))).isFalse();
    assertThat(DemandEstimator.overran(reserved, new Demand(1001, 90, 1))).isTrue();
    assertThat(DemandEstimator.overran(reserved, new Demand(900, 101, 1))).isTrue();
  }

  private static ChatRequest request(List<Part> parts, Integer maxTokens, int n) {
    return new ChatRequest(ClientApi.OPENAI, "m", null, List.of(new Message(Role.USER, parts)), List.of(), null,
        maxTokens, null, null, List.of(), false, false, null, n);
  }

  private static ModelRoute route(String upstreamModel, BackendSchema schema, Price price) {
    return new ModelRoute("m", endpoint(schema), upstreamModel, price);
  }

  private static ModelGroup group(ModelRoute... routes) {
    return new ModelGroup("m", io.tollgate.node.routing.RoutingStrategy.PRIORITY, List.of(routes));
  }

  private static ProviderEndpoint endpoint(BackendSchema schema) {
    return new ProviderEndpoint(schema.name().toLowerCase(java.util.Locale.ROOT), schema, "http://upstream.test",
        Secret.of("k"), null, null, java.util.Map.of());
  }
}
