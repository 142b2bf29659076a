package io.tollgate.node.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Wrong admin tokens are counted per source address; a source over the limit waits out its window. */
class AdminAuthThrottleTest {
  private final AtomicLong now = new AtomicLong();
  private final AdminAuthThrottle throttle = new AdminAuthThrottle(3, Duration.ofSeconds(60), now::get);

  @Test
  void a_source_over_the_limit_waits_until_its_window_ends_and_others_are_not_affected() {
    for (int i = 0; i < 3; i++) {
      assertThat(throttle.waitFor("10.0.0.1")).isEmpty();
      throttle.failed("10.0.0.1");
    }
    now.addAndGet(Duration.ofSeconds(20).toNanos());

    assertThat(throttle.waitFor("10.0.0.1")).hasValue(Duration.ofSeconds(40));
    assertThat(throttle.waitFor("10.0.0.2")).isEmpty();

    now.addAndGet(Duration.ofSeconds(40).toNanos());
    assertThat(throttle.waitFor("10.0.0.1")).isEmpty();
    throttle.failed("10.0.0.1");
    assertThat(throttle.waitFor("10.0.0.1")).as("a new window starts from one failure").isEmpty();
  }
}
