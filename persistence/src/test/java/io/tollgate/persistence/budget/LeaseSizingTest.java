package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaseSizingTest {

  @Test
  void a_single_node_gets_what_it_wants_when_there_is_plenty() {
    assertThat(LeaseSizing.size(5_000, 100, 1_000_000, false)).isEqualTo(5_000);
  }

  @Test
  void a_want_below_at_least_is_raised_to_at_least() {
    assertThat(LeaseSizing.size(10, 100, 1_000_000, false)).isEqualTo(100);
  }

  @Test
  void a_single_node_never_gets_more_than_is_available() {
    assertThat(LeaseSizing.size(5_000_000, 100, 2_000, false)).isEqualTo(2_000);
  }

  @Test
  void with_several_nodes_one_lease_takes_at_most_a_quarter() {
    assertThat(LeaseSizing.size(900_000, 100, 1_000_000, true)).isEqualTo(250_000);
    assertThat(LeaseSizing.size(1_000, 100, 1_000_000, true)).isEqualTo(1_000);
  }

  @Test
  void near_the_limit_every_lease_is_one_request_slice() {
    assertThat(LeaseSizing.size(5_000, 100, 999, false)).isEqualTo(100);
    assertThat(LeaseSizing.size(5_000, 100, 100, true)).isEqualTo(100);
    assertThat(LeaseSizing.size(5_000, 100, 1_000, false)).isEqualTo(1_000);
  }

  @Test
  void a_request_that_does_not_fit_is_refused() {
    assertThat(LeaseSizing.fits(100, 99)).isFalse();
    assertThat(LeaseSizing.fits(100, -5)).isFalse();
    assertThat(LeaseSizing.fits(100, 100)).isTrue();
  }

  @Test
  void huge_at_least_amounts_do_not_overflow() {
    // 10 x at-least would overflow to a negative number and lift the slice rule.
    assertThat(LeaseSizing.size(Long.MAX_VALUE, Long.MAX_VALUE / 2, Long.MAX_VALUE - 1, false))
        .isEqualTo(Long.MAX_VALUE / 2);
  }

  @Test
  void a_fitting_grant_is_always_between_at_least_and_available() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long atLeast = random.nextInt(1_000);
      long available = random.nextInt(100_000);
      long want = random.nextInt(200_000);
      boolean contended = random.nextBoolean();
      if (!LeaseSizing.fits(atLeast, available)) {
        continue;
      }
      long grant = LeaseSizing.size(want, atLeast, available, contended);
      assertThat(grant).isBetween(atLeast, available);
    }
  }
}
