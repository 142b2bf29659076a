package io.tollgate.protocol.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceTest {
  /** $3 input, $15 output, $0.30 cache read, $3.75 cache write per million tokens. */
  private static final Price PRICE = new Price(
      new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("3.75"));

  @Test
  void one_dollar_per_million_tokens_is_one_micro_dollar_per_token() {
    Price flat = new Price(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE);

    assertThat(flat.costMicros(new Usage(10, 20, 30, 40, false))).isEqualTo(100);
  }

  @Test
  void prices_each_token_kind_at_its_own_rate() {
    assertThat(PRICE.costMicros(new Usage(1000, 0, 0, 0, false))).isEqualTo(3000);
    assertThat(PRICE.costMicros(new Usage(0, 1000, 0, 0, false))).isEqualTo(300);
    assertThat(PRICE.costMicros(new Usage(0, 0, 1000, 0, false))).isEqualTo(3750);
    assertThat(PRICE.costMicros(new Usage(0, 0, 0, 1000, false))).isEqualTo(15000);
    assertThat(PRICE.costMicros(new Usage(1000, 1000, 1000, 1000, false))).isEqualTo(3000 + 300 + 3750 + 15000);
  }

  @Test
  void rounds_once_on_the_sum_not_per_token_kind() {
    // each part alone is 0.3 micro-dollars and would round to 0; the sum 0.9 rounds to 1
    Price cheap = new Price(new BigDecimal("0.3"), new BigDecimal("0.3"), new BigDecimal("0.3"), BigDecimal.ZERO);

    assertThat(cheap.costMicros(new Usage(1, 1, 0, 1, false))).isEqualTo(1);
  }

  @Test
  void rounds_half_up() {
    Price half = new Price(new BigDecimal("0.5"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

    assertThat(half.costMicros(new Usage(1, 0, 0, 0, false))).isEqualTo(1);
    assertThat(half.costMicros(new Usage(3, 0, 0, 0, false))).isEqualTo(2);
    assertThat(new Price(new BigDecimal("0.4"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO)
        .costMicros(new Usage(1, 0, 0, 0, false))).isZero();
  }

  @Test
  void free_costs_nothing() {
    assertThat(Price.FREE.costMicros(new Usage(1_000_000, 5, 5, 1_000_000, false))).isZero();
  }

  @Test
  void renders_micro_dollars_as_usd() {
    assertThat(Price.usd(1234)).isEqualTo("0.001234");
    assertThat(Price.usd(12_500_000)).isEqualTo("12.500000");
    assertThat(Price.usd(0)).isEqualTo("0.000000");
  }
}
