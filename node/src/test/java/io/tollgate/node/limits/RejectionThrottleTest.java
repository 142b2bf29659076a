package io.tollgate.node.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionThrottleTest {
  private final AtomicLong now = new AtomicLong(0);

  private RejectionThrottle throttle(int allowed, int maxTracked) {
    return new RejectionThrottle(allowed, Duration.ofMinutes(1), maxTracked, now::get);
  }

  @Test
  void a_caller_is_blocked_after_its_allowance_of_refusals_and_served_again_as_it_refills() {
    RejectionThrottle t = throttle(3, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(t.blocked("key_a")).isEmpty();
      assertThat(t.rejected("key_a")).as("allowance used up by refusal %d", i + 1).isEqualTo(i == 2);
    }
    assertThat(t.rejected("key_a")).as("already blocked").isFalse();
    assertThat(t.blocked("key_a")).hasValueSatisfying(wait ->
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20)));
    assertThat(t.blocked("key_b")).isEmpty();
    now.addAndGet(Duration.ofSeconds(20).toNanos());
    assertThat(t.blocked("key_a")).isEmpty();
    t.rejected("key_a");
    assertThat(t.blocked("key_a")).isPresent();
  }

  @Test
  void zero_turns_the_throttle_off() {
    RejectionThrottle t = throttle(0, 100);
    for (int i = 0; i < 1000; i++) {
      t.rejected("source");
    }
    assertThat(t.blocked("source")).isEmpty();
  }

  @Test
  void it_tracks_at_most_max_tracked_callers_forgetting_those_refilled_first() {
    RejectionThrottle t = throttle(2, 3);
    for (String caller : new String[] {"a", "b", "c"}) {
      t.rejected(caller);
      t.rejected(caller);
    }
    t.rejected("d");
    assertThat(t.tracked()).isEqualTo(3);
    assertThat(t.blocked("d")).isEmpty();
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    t.rejected("d");
    t.rejected("d");
    assertThat(t.blocked("d")).isPresent();
    assertThat(t.tracked()).isEqualTo(1);
  }
}
