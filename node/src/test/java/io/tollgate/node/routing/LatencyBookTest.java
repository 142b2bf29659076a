package io.tollgate.node.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyBookTest {
  @Test
  void an_unmeasured_deployment_has_no_average() {
    LatencyBook book = new LatencyBook();

    assertThat(book.ttft("never")).isEmpty();
    assertThat(book.total("never")).isEmpty();
  }

  @Test
  void the_first_sample_sets_the_average_and_later_ones_move_it_by_alpha() {
    LatencyBook book = new LatencyBook(0.2);

    book.record("d", 100, 1_000);
    book.record("d", 200, 2_000);

    assertThat(book.ttft("d").getAsDouble()).isCloseTo(120, within(1e-9));
    assertThat(book.total("d").getAsDouble()).isCloseTo(1_200, within(1e-9));
  }

  @Test
  void a_call_that_was_not_streamed_leaves_the_time_to_first_token_alone() {
    LatencyBook book = new LatencyBook();

    book.record("d", -1, 700);

    assertThat(book.ttft("d")).isEmpty();
    assertThat(book.total("d").getAsDouble()).isEqualTo(700);
  }

  @Test
  void alpha_outside_zero_to_one_is_refused() {
    assertThatThrownBy(() -> new LatencyBook(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LatencyBook(1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
