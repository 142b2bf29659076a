package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.FailMode;
import io.tollgate.persistence.budget.Limit;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.Period;
import io.tollgate.persistence.budget.TenantLimits;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverdraftTest {
  private static final Instant NOON = Instant.parse("2026-12-07T12:00:10Z");
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static TenantLimits limits(long overdraft, Limit... limits) {
    return new TenantLimits("UTC", FailMode.OPEN, overdraft, List.of(limits));
  }

  private static final Limit DAILY = new Limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000);

  @Test
  void each_node_admits_its_share_of_the_overdraft() {
    Overdraft od = new Overdraft();
    TenantLimits l = limits(900, DAILY);

    assertThat(od.tryAdmit(l, "k1", null, new Demand(300, 0, 1), 3, NOON)).isTrue();
    assertThat(od.tryAdmit(l, "k1", null, new Demand(1, 0, 1), 3, NOON)).as("300 is a third of 900").isFalse();
  }

  @Test
  void what_was_used_stays_used_for_the_day_however_many_outages_it_has() {
    Overdraft od = new Overdraft();
    TenantLimits l = limits(1_000, DAILY);
    assertThat(od.tryAdmit(l, "k1", null, new Demand(600, 0, 1), 1, NOON)).isTrue();

    // The call used 500 of its 600: only the unused 100 comes back, even once it settled on a lease.
    od.release(100, NOON.plusSeconds(5), UTC);

    assertThat(od.usedToday()).isEqualTo(500);
    assertThat(od.tryAdmit(l, "k1", null, new Demand(600, 0, 1), 1, NOON.plusSeconds(3_600))).isFalse();
    assertThat(od.tryAdmit(l, "k1", null, new Demand(600, 0, 1), 1, Instant.parse("2026-12-08T00:00:01Z")))
        .as("a new day, a new overdraft").isTrue();
  }

  @Test
  void per_minute_limits_hold_under_the_overdraft_at_each_nodes_share() {
    Overdraft od = new Overdraft();
    TenantLimits l = limits(1_000_000, DAILY, new Limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 4),
        new Limit("tenant", LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 1_000));

    boolean first = od.tryAdmit(l, "k1", null, new Demand(10, 100, 1), 2, NOON);
    boolean second = od.tryAdmit(l, "k1", null, new Demand(10, 100, 1), 2, NOON);
    boolean third = od.tryAdmit(l, "k1", null, new Demand(10, 100, 1), 2, NOON);
    boolean otherKey = od.tryAdmit(l, "k2", null, new Demand(10, 300, 1), 2, NOON);
    boolean tooManyTokens = od.tryAdmit(l, "k2", null, new Demand(10, 1, 1), 2, NOON);
    boolean nextMinute = od.tryAdmit(l, "k1", null, new Demand(10, 100, 1), 2, NOON.plusSeconds(60));

    assertThat(List.of(first, second, third)).containsExactly(true, true, false);
    assertThat(otherKey).isTrue();
    assertThat(tooManyTokens).as("the tenant's 500 tokens of this node's share are used").isFalse();
    assertThat(nextMinute).isTrue();
  }
}
