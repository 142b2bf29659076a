package io.tollgate.node.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.circuit.OutcomeBatch;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PendingOutcomesTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void a_batch_counts_failures_since_the_last_success_and_the_longest_retry_after() {
    PendingOutcomes pending = new PendingOutcomes();
    pending.failure(T0, false);
    pending.success(T0.plusMillis(10), true);
    pending.failure(T0.plusMillis(20), true);
    pending.rateLimited(T0.plusMillis(25), 2_000);
    pending.rateLimited(T0.plusMillis(27), 500);
    pending.failure(T0.plusMillis(30), false);

    OutcomeBatch batch = pending.drain("d", "node-1");

    assertThat(batch).isEqualTo(new OutcomeBatch("d", 1, 3, 2, 2_000, 2, 2, T0, T0.plusMillis(30), "node-1"));
  }

  @Test
  void nothing_is_reported_twice() {
    PendingOutcomes pending = new PendingOutcomes();
    pending.success(T0, false);

    OutcomeBatch first = pending.drain("d", "n");
    OutcomeBatch second = pending.drain("d", "n");

    assertThat(first.successes()).isEqualTo(1);
    assertThat(second).isNull();
  }
}
