package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.protocol.usage.Price;
import io.tollgate.protocol.usage.Usage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DemandEstimatorTest {
  /** USD 3 per million input tokens, 15 per million output: 3 and 15 micro-dollars per token. */
  private static final Price PRICE =
      new Price(new BigDecimal("3.00"), new BigDecimal("15.00"), new BigDecimal("0.30"), new BigDecimal("3.75"));

  @Test
  void reserves_the_prompt_and_the_requested_output_allowance() {
    Demand d = DemandEstimator.chat(1000, 200, null, PRICE);

    assertThat(d).isEqualTo(new Demand(1000 * 3 + 200 * 15, 1200, 1));
  }

  @Test
  void falls_back_to_the_model_default_then_to_4096_output_tokens() {
    assertThat(DemandEstimator.chat(10, null, 1000, PRICE)).isEqualTo(new Demand(10 * 3 + 1000 * 15, 1010, 1));
    assertThat(DemandEstimator.chat(10, null, null, PRICE)).isEqualTo(new Demand(10 * 3 + 4096 * 15, 4106, 1));
  }

  @Test
  void embeddings_reserve_prompt_tokens_only() {
    Price embed = new Price(new BigDecimal("0.02"), BigDecimal.ZERO, new BigDecimal("0.02"), new BigDecimal("0.02"));

    assertThat(DemandEstimator.embeddings(100_000, embed)).isEqualTo(new Demand(2000, 100_000, 1));
  }

  @Test
  void actual_usage_carries_the_audited_cost_and_all_tokens() {
    Usage usage = Usage.fromAnthropic(100, 50, 25, 40);
    long cost = PRICE.costMicros(usage);

    assertThat(DemandEstimator.actual(cost, usage)).isEqualTo(new Demand(cost, 215, 1));
  }
}
