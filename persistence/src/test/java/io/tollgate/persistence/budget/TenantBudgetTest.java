package io.tollgate.persistence.budget;

import static io.tollgate.persistence.budget.BudgetKit.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.TenantBudget.Event;
import io.tollgate.persistence.budget.TenantBudget.GetLimits;
import io.tollgate.persistence.budget.TenantBudget.LeaseExpired;
import io.tollgate.persistence.budget.TenantBudget.LeaseGranted;
import io.tollgate.persistence.budget.TenantBudget.LeaseLateSettled;
import io.tollgate.persistence.budget.TenantBudget.WindowsMoved;
import io.tollgate.persistence.budget.TenantBudget.LeaseReconciled;
import io.tollgate.persistence.budget.TenantBudget.LeaseSettled;
import io.tollgate.persistence.budget.TenantBudget.LimitsSet;
import io.tollgate.persistence.budget.TenantBudget.ReconcileLease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantBudgetTest {
  private static final Instant T0 = Instant.parse("2025-03-10T10:00:05Z");
  private static final Instant END_OF_DAY = Instant.parse("2025-03-11T00:00:00Z");
  private static final Demand HUGE = usd(1_000_000_000L);

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withName("TenantBudgetTest").withCustomConfig(BudgetKit.CONFIG).build();

  private BudgetKit budget() {
    return BudgetKit.create(testKit.system());
  }

  private static Limit limit(String scope, LimitKind kind, Period period, long amount) {
    return new Limit(scope, kind, period, amount);
  }

  /** A budget with a tenant-wide daily USD limit, UTC. */
  private BudgetKit dailyUsd(long amount) {
    BudgetKit b = budget();
    b.limits("UTC", limit("tenant", LimitKind.USD, Period.DAILY, amount));
    return b;
  }

  // ---- limits ----

  @Test
  void a_new_tenant_has_no_limits() {
    StatusReply<TenantLimits> reply = budget().kit.<StatusReply<TenantLimits>>runCommand(GetLimits::new).reply();

    assertThat(reply.getValue()).isEqualTo(TenantLimits.NONE);
  }

  @Test
  void limits_are_stored_and_read_back() {
    BudgetKit b = budget();
    TenantLimits limits = new TenantLimits("Europe/Berlin", FailMode.OPEN, 2_000_000, List.of(
        limit("tenant", LimitKind.USD, Period.MONTHLY, 50_000_000),
        limit("team:ml", LimitKind.TOKENS, Period.DAILY, 1_000_000),
        limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 60)));

    var result = b.setLimits(limits);

    assertThat(result.reply().getValue()).isEqualTo(limits);
    assertThat(result.event()).isEqualTo(new LimitsSet(limits));
    assertThat(b.kit.<StatusReply<TenantLimits>>runCommand(GetLimits::new).reply().getValue()).isEqualTo(limits);
  }

  @Test
  void invalid_limits_are_refused_and_the_old_ones_stay() {
    BudgetKit b = budget();
    TenantLimits good = b.limits("UTC", limit("tenant", LimitKind.USD, Period.DAILY, 100));
    List<TenantLimits> invalid = List.of(
        new TenantLimits("UTC", FailMode.CLOSED, 0, List.of(limit("tenant", LimitKind.USD, Period.DAILY, -1))),
        new TenantLimits("Atlantis/Capital", FailMode.CLOSED, 0, List.of()),
        new TenantLimits("UTC", FailMode.CLOSED, 0,
            List.of(limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.DAILY, 10))),
        new TenantLimits("UTC", FailMode.CLOSED, 0, List.of(limit("tenant", LimitKind.USD, Period.MINUTE, 10))));

    for (TenantLimits limits : invalid) {
      var result = b.setLimits(limits);
      assertThat(result.reply().isError()).as("refused: %s", limits).isTrue();
      assertThat(result.hasNoEvents()).isTrue();
    }
    assertThat(b.kit.<StatusReply<TenantLimits>>runCommand(GetLimits::new).reply().getValue()).isEqualTo(good);
  }

  @Test
  void the_refusal_names_the_problem() {
    var result = budget().setLimits(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(limit("tenant", LimitKind.TOKENS_PER_MINUTE, Period.MONTHLY, 10))));

    assertThat(result.reply().getError().getMessage()).contains("TOKENS_PER_MINUTE", "MINUTE");
  }

  // ---- leases ----

  @Test
  void without_limits_a_lease_is_unlimited_and_nothing_is_stored() {
    BudgetKit b = budget();

    var result = b.acquire("n1", "k1", null, HUGE, usd(10), T0);
    LeaseGrant grant = result.reply().getValue();

    assertThat(grant.granted()).isTrue();
    assertThat(grant.leaseId()).startsWith(TenantBudget.UNLIMITED_LEASE_PREFIX);
    assertThat(grant.amounts()).isEqualTo(new Demand(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
    assertThat(result.hasNoEvents()).isTrue();
    var settled = b.settle(grant.leaseId(), 1, usd(5), false, T0.plusSeconds(1));
    assertThat(settled.reply().getValue().open()).isTrue();
    assertThat(settled.hasNoEvents()).isTrue();
  }

  @Test
  void a_lease_gets_no_more_than_the_tightest_of_tenant_team_and_key() {
    BudgetKit b = budget();
    b.limits("UTC",
        limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000),
        limit("team:ml", LimitKind.USD, Period.DAILY, 500_000),
        limit("key:k1", LimitKind.USD, Period.DAILY, 200_000));

    LeaseGrant first = b.grant("n1", "k1", "ml", HUGE, usd(1_000), T0);
    LeaseGrant second = b.grant("n1", "k2", "ml", HUGE, usd(1_000), T0);
    var third = b.acquire("n1", "k3", "ml", HUGE, usd(1_000), T0);
    LeaseGrant noTeam = b.grant("n1", "k4", null, HUGE, usd(1_000), T0);

    assertThat(first.amounts().usdMicros()).isEqualTo(200_000);
    assertThat(first.status()).contains(
        new LimitStatus(LimitKind.USD, Period.DAILY, "key:k1", 200_000, 0, END_OF_DAY),
        new LimitStatus(LimitKind.USD, Period.DAILY, "team:ml", 500_000, 300_000, END_OF_DAY));
    assertThat(first.amounts().requests()).as("no request limit applies").isEqualTo(Long.MAX_VALUE);
    assertThat(second.amounts().usdMicros()).as("what the team has left").isEqualTo(300_000);
    assertThat(third.reply().getValue().granted()).isFalse();
    assertThat(third.hasNoEvents()).isTrue();
    assertThat(noTeam.amounts().usdMicros()).as("what the tenant has left").isEqualTo(500_000);
  }

  @Test
  void grants_to_many_nodes_never_sum_past_the_limit_and_end_in_single_request_slices() {
    long limitMicros = 10_000_000;
    long slice = 10_000;
    BudgetKit b = dailyUsd(limitMicros);
    Random random = new Random(7);
    long sum = 0;
    int grants = 0;
    LeaseGrant last = null;
    for (int i = 0; i < 5_000; i++) {
      long availableBefore = b.line(T0, "tenant", LimitKind.USD).available();
      String node = "n" + random.nextInt(5);
      last = b.grant(node, "k" + random.nextInt(3), null, usd(50_000 + random.nextInt(2_000_000)), usd(slice), T0);
      if (!last.granted()) {
        assertThat(availableBefore).isLessThan(slice);
        break;
      }
      grants++;
      sum += last.amounts().usdMicros();
      assertThat(last.amounts().usdMicros()).isLessThanOrEqualTo(availableBefore);
      if (availableBefore < 10 * slice) {
        assertThat(last.amounts().usdMicros()).as("a slice near the limit").isEqualTo(slice);
      }
    }

    assertThat(last).isNotNull();
    assertThat(last.granted()).as("the budget ran out").isFalse();
    assertThat(last.reason()).isEqualTo(DenialReason.BUDGET_EXHAUSTED);
    assertThat(sum).isLessThanOrEqualTo(limitMicros).isGreaterThan(limitMicros - slice);
    assertThat(grants).isGreaterThan(10);
  }

  @Test
  void with_other_nodes_holding_leases_one_lease_takes_a_quarter_of_what_is_left() {
    BudgetKit b = dailyUsd(1_000_000);

    LeaseGrant first = b.grant("n1", "k1", null, usd(100_000), usd(1_000), T0);
    LeaseGrant greedy = b.grant("n2", "k1", null, HUGE, usd(1_000), T0);

    assertThat(first.amounts().usdMicros()).isEqualTo(100_000);
    assertThat(greedy.amounts().usdMicros()).isEqualTo(900_000 / 4);
  }

  @Test
  void a_request_that_does_not_fit_is_refused_with_the_window_end_and_costs_nothing() {
    BudgetKit b = dailyUsd(100_000);
    b.grant("n1", "k1", null, usd(95_000), usd(95_000), T0);

    var refused = b.acquire("n1", "k1", null, usd(10_000), usd(10_000), T0);

    LeaseGrant grant = refused.reply().getValue();
    assertThat(grant.granted()).isFalse();
    assertThat(grant.reason()).isEqualTo(DenialReason.BUDGET_EXHAUSTED);
    assertThat(grant.retryAfter()).isEqualTo(END_OF_DAY);
    assertThat(grant.leaseId()).isNull();
    assertThat(grant.status()).containsExactly(
        new LimitStatus(LimitKind.USD, Period.DAILY, "tenant", 100_000, 5_000, END_OF_DAY));
    assertThat(refused.hasNoEvents()).isTrue();
    assertThat(b.grant("n1", "k1", null, usd(5_000), usd(5_000), T0).granted()).as("what is left still fits").isTrue();
  }

  @Test
  void an_exhausted_lifetime_budget_has_no_retry_time() {
    BudgetKit b = budget();
    b.limits("UTC", limit("key:k1", LimitKind.USD, Period.LIFETIME, 1_000));
    LeaseGrant all = b.grant("n1", "k1", null, usd(1_000), usd(1_000), T0);

    LeaseGrant refused = b.grant("n1", "k1", null, usd(1), usd(1), T0);

    assertThat(all.amounts().usdMicros()).isEqualTo(1_000);
    assertThat(refused.granted()).isFalse();
    assertThat(refused.reason()).isEqualTo(DenialReason.BUDGET_EXHAUSTED);
    assertThat(refused.retryAfter()).isNull();
  }

  @Test
  void when_both_budget_and_rate_block_the_budget_is_the_reason() {
    BudgetKit b = budget();
    b.limits("UTC",
        limit("tenant", LimitKind.USD, Period.DAILY, 1_000),
        limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 1));
    b.grant("n1", "k1", null, new Demand(1_000, 0, 1), new Demand(1_000, 0, 1), T0);

    LeaseGrant refused = b.grant("n1", "k1", null, new Demand(10, 0, 1), new Demand(10, 0, 1), T0);

    assertThat(refused.reason()).isEqualTo(DenialReason.BUDGET_EXHAUSTED);
    assertThat(refused.retryAfter()).isEqualTo(END_OF_DAY);
  }

  // ---- rate limits ----

  @Test
  void requests_per_minute_admit_at_most_n_per_minute_across_leases_and_reset_with_the_minute() {
    BudgetKit b = budget();
    b.limits("UTC", limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 5));
    Demand one = new Demand(0, 0, 1);
    Instant minuteEnd = Instant.parse("2025-03-10T10:01:00Z");
    long admitted = 0;
    LeaseGrant refused = null;
    for (int i = 0; i < 20 && refused == null; i++) {
      LeaseGrant g = b.grant("n" + (i % 3), "k1", null, new Demand(0, 0, 4), one, T0.plusSeconds(i));
      if (g.granted()) {
        admitted += g.amounts().requests();
        assertThat(g.expiresAt()).isBeforeOrEqualTo(minuteEnd);
      } else {
        refused = g;
      }
    }

    assertThat(admitted).isEqualTo(5);
    assertThat(refused).isNotNull();
    assertThat(refused.reason()).isEqualTo(DenialReason.RATE_LIMITED);
    assertThat(refused.retryAfter()).isEqualTo(minuteEnd);
    LeaseGrant nextMinute = b.grant("n1", "k1", null, one, one, minuteEnd);
    assertThat(nextMinute.granted()).isTrue();
    assertThat(nextMinute.status()).containsExactly(new LimitStatus(LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE,
        "key:k1", 5, 4, minuteEnd.plusSeconds(60)));
  }

  @Test
  void a_lease_never_outlives_the_minute_it_holds() {
    BudgetKit b = budget();
    b.limits("UTC", limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 1_000));

    LeaseGrant late = b.grant("n1", "k1", null, new Demand(0, 0, 50), new Demand(0, 0, 1),
        Instant.parse("2025-03-10T10:00:45Z"));
    var renewed = b.settle(late.leaseId(), 1, new Demand(0, 0, 3), false, Instant.parse("2025-03-10T10:00:55Z"));

    assertThat(late.amounts().requests()).isEqualTo(50);
    assertThat(late.expiresAt()).isEqualTo(Instant.parse("2025-03-10T10:01:00Z"));
    assertThat(((LeaseSettled) renewed.event()).expiresAt()).isEqualTo(Instant.parse("2025-03-10T10:01:00Z"));
  }

  @Test
  void tokens_and_tokens_per_minute_count_the_same_tokens() {
    BudgetKit b = budget();
    b.limits("UTC",
        limit("tenant", LimitKind.TOKENS, Period.DAILY, 100_000),
        limit("key:k1", LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 1_000));

    LeaseGrant g = b.grant("n1", "k1", null, new Demand(0, 5_000, 1), new Demand(0, 100, 1), T0);

    assertThat(g.amounts().tokens()).isEqualTo(1_000);
    assertThat(g.status()).extracting(LimitStatus::kind, LimitStatus::remaining).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(LimitKind.TOKENS, 99_000L),
        org.assertj.core.groups.Tuple.tuple(LimitKind.TOKENS_PER_MINUTE, 0L));
  }

  @Test
  void the_ledger_keeps_only_the_last_two_windows_of_a_series() {
    BudgetKit b = budget();
    b.limits("UTC", limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 100));
    for (int minute = 0; minute < 4; minute++) {
      Instant at = T0.plusSeconds(60L * minute);
      LeaseGrant g = b.grant("n1", "k1", null, new Demand(0, 0, 5), new Demand(0, 0, 1), at);
      b.settle(g.leaseId(), 1, new Demand(0, 0, 2), true, at);
    }

    assertThat(b.kit.getState().spent()).hasSize(2);
    assertThat(b.line(T0.plusSeconds(180), "tenant", LimitKind.REQUESTS_PER_MINUTE).spent()).isEqualTo(2);
  }

  // ---- settlement ----

  @Test
  void settling_moves_spend_from_the_lease_into_the_ledger() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);
    SpendLine before = b.line(T0, "tenant", LimitKind.USD);

    var result = b.settle(g.leaseId(), 1, usd(50_000), false, T0.plusSeconds(10));

    assertThat(before).extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(0L, 200_000L, 800_000L);
    assertThat(result.reply().getValue()).isEqualTo(new SettleAck(g.leaseId(), true));
    assertThat(b.line(T0, "tenant", LimitKind.USD))
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(50_000L, 150_000L, 800_000L);
  }

  @Test
  void a_repeated_settlement_is_acked_and_ignored() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);
    b.settle(g.leaseId(), 1, usd(50_000), false, T0.plusSeconds(1));

    var again = b.settle(g.leaseId(), 1, usd(50_000), false, T0.plusSeconds(2));
    var older = b.settle(g.leaseId(), 0, usd(7), false, T0.plusSeconds(2));

    assertThat(again.reply().getValue().open()).isTrue();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(older.hasNoEvents()).isTrue();
    assertThat(b.line(T0, "tenant", LimitKind.USD).spent()).isEqualTo(50_000);
  }

  @Test
  void closing_a_lease_returns_its_remainder() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);
    b.settle(g.leaseId(), 1, usd(50_000), false, T0.plusSeconds(1));

    var closed = b.settle(g.leaseId(), 2, usd(30_000), true, T0.plusSeconds(2));
    SpendLine afterClosing = b.line(T0, "tenant", LimitKind.USD);
    var afterClose = b.settle(g.leaseId(), 3, usd(999), false, T0.plusSeconds(3));

    assertThat(closed.reply().getValue()).isEqualTo(new SettleAck(g.leaseId(), false));
    assertThat(afterClosing)
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(80_000L, 0L, 920_000L);
    assertThat(afterClose.reply().getValue()).isEqualTo(new SettleAck(g.leaseId(), false, true));
    assertThat(afterClose.event()).as("a settlement after the close is new spend: counted late, never dropped")
        .isInstanceOf(LeaseLateSettled.class);
    assertThat(((LeaseLateSettled) afterClose.event()).excess().usdMicros()).isEqualTo(999);
    assertThat(b.line(T0, "tenant", LimitKind.USD).spent()).isEqualTo(80_999L);
    assertThat(b.settle(g.leaseId(), 3, usd(999), false, T0.plusSeconds(4)).hasNoEvents())
        .as("and counted once").isTrue();
  }

  @Test
  void overdraft_usage_counts_in_the_windows_it_was_admitted_in_once() {
    BudgetKit b = budget();
    b.limits("UTC",
        limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000),
        limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 100),
        limit("key:k2", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 100));
    Instant minuteBefore = T0.minusSeconds(60);
    Demand spent = new Demand(3_000, 120, 2);

    var settled = b.kit.<StatusReply<SettleAck>>runCommand(r -> new TenantBudget.SettleOverdraft(
        TenantBudget.OVERDRAFT_LEASE_PREFIX + "a", "k1", null, minuteBefore, spent, r));
    var again = b.kit.<StatusReply<SettleAck>>runCommand(r -> new TenantBudget.SettleOverdraft(
        TenantBudget.OVERDRAFT_LEASE_PREFIX + "a", "k1", null, minuteBefore, spent, r));
    var notAnOverdraft = b.kit.<StatusReply<SettleAck>>runCommand(r -> new TenantBudget.SettleOverdraft(
        "lease-1", "k1", null, minuteBefore, spent, r));

    assertThat(settled.reply().isSuccess()).isTrue();
    assertThat(settled.event()).isInstanceOf(TenantBudget.OverdraftSettled.class);
    assertThat(b.line(T0, "tenant", LimitKind.USD).spent()).isEqualTo(3_000);
    assertThat(b.line(minuteBefore, "key:k1", LimitKind.REQUESTS_PER_MINUTE).spent())
        .as("the minute it was admitted in").isEqualTo(2);
    assertThat(b.line(T0, "key:k1", LimitKind.REQUESTS_PER_MINUTE).spent()).as("not the minute it settled in")
        .isZero();
    assertThat(b.line(minuteBefore, "key:k2", LimitKind.REQUESTS_PER_MINUTE).spent()).as("another key's").isZero();
    assertThat(again.reply().isSuccess()).isTrue();
    assertThat(again.hasNoEvents()).as("a repeated batch counts once").isTrue();
    assertThat(notAnOverdraft.reply().isError()).isTrue();
  }

  @Test
  void a_settlement_renews_the_lease() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);

    var settled = b.settle(g.leaseId(), 1, usd(1_000), false, T0.plusSeconds(20));
    var notYet = b.expire(T0.plusSeconds(40));
    var now = b.expire(T0.plusSeconds(50));

    assertThat(g.expiresAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(((LeaseSettled) settled.event()).expiresAt()).isEqualTo(T0.plusSeconds(50));
    assertThat(notYet.hasNoEvents()).isTrue();
    assertThat(now.events()).containsExactly(new LeaseExpired(g.leaseId()));
  }

  @Test
  void settlements_with_negative_amounts_are_refused() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);

    var result = b.settle(g.leaseId(), 1, new Demand(-5, 0, 0), false, T0);

    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  // ---- expiry and reconciliation ----

  /** A lease of 200,000 that settled 50,000 and then expired. */
  private static LeaseGrant expiredLease(BudgetKit b) {
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);
    b.settle(g.leaseId(), 1, usd(50_000), false, T0.plusSeconds(5));
    var expired = b.expire(T0.plusSeconds(36));
    assertThat(expired.events()).containsExactly(new LeaseExpired(g.leaseId()));
    return g;
  }

  @Test
  void an_expired_lease_still_counts_its_unsettled_remainder() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);

    SpendLine line = b.line(T0, "tenant", LimitKind.USD);
    LeaseGrant next = b.grant("n2", "k1", null, HUGE, usd(1_000), T0.plusSeconds(40));

    assertThat(line).extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(50_000L, 150_000L, 800_000L);
    assertThat(b.spend(T0).expiredLeaseIds()).containsExactly(g.leaseId());
    assertThat(next.amounts().usdMicros()).isEqualTo(800_000);
  }

  @Test
  void a_late_settlement_of_an_expired_lease_applies() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);

    var late = b.settle(g.leaseId(), 2, usd(40_000), false, T0.plusSeconds(60));

    assertThat(late.reply().getValue()).isEqualTo(new SettleAck(g.leaseId(), false));
    assertThat(late.event()).isInstanceOf(LeaseSettled.class);
    assertThat(b.line(T0, "tenant", LimitKind.USD))
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(90_000L, 110_000L, 800_000L);
  }

  @Test
  void reconciliation_closes_an_expired_lease_with_the_audited_spend() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);
    b.gone.add("n1");

    var result = b.kit.<StatusReply<SettleAck>>runCommand(
        r -> new ReconcileLease(g.leaseId(), usd(120_000), r));

    assertThat(result.reply().getValue()).isEqualTo(new SettleAck(g.leaseId(), false));
    assertThat(((LeaseReconciled) result.event()).extra().usdMicros()).isEqualTo(70_000);
    assertThat(b.line(T0, "tenant", LimitKind.USD))
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(120_000L, 0L, 880_000L);
    assertThat(b.spend(T0).expiredLeaseIds()).isEmpty();
  }

  @Test
  void an_open_lease_cannot_be_reconciled() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);

    var result = b.kit.<StatusReply<SettleAck>>runCommand(r -> new ReconcileLease(g.leaseId(), usd(5), r));

    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void an_expired_lease_of_a_live_node_stays_held_however_long_until_its_node_settles_it() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);

    var hoursLater = b.expire(T0.plusSeconds(3 * 3600));
    var settled = b.settle(g.leaseId(), 2, usd(70_000), true, T0.plusSeconds(3 * 3600 + 1));

    assertThat(hoursLater.hasNoEvents()).as("a live node's calls may still be running").isTrue();
    assertThat(settled.event()).isInstanceOf(LeaseSettled.class);
    assertThat(b.line(T0, "tenant", LimitKind.USD))
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(120_000L, 0L, 880_000L);
  }

  @Test
  void a_reconciliation_of_a_live_nodes_lease_is_refused() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);

    var result = b.kit.<StatusReply<SettleAck>>runCommand(r -> new ReconcileLease(g.leaseId(), usd(5), r));

    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void a_gone_nodes_lease_expires_at_once_and_is_closed_from_its_audit_after_the_grace() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);
    b.settle(g.leaseId(), 1, usd(50_000), false, T0.plusSeconds(1));
    b.gone.add("n1");
    b.audited.put(g.leaseId(), usd(130_000));

    var noticed = b.expire(T0.plusSeconds(2));
    var withinGrace = b.expire(T0.plusSeconds(11));
    b.expire(T0.plusSeconds(12));

    assertThat(noticed.events()).as("before its expiry").containsExactly(new LeaseExpired(g.leaseId()));
    assertThat(withinGrace.hasNoEvents()).isTrue();
    testKit.createTestProbe().awaitAssert(() -> {
      assertThat(b.kit.getState().expired()).isEmpty();
      return null;
    });
    assertThat(b.line(T0, "tenant", LimitKind.USD))
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(130_000L, 0L, 870_000L);
  }

  @Test
  void a_gone_nodes_lease_whose_audit_cannot_be_read_stays_held() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);
    b.gone.add("n1");

    b.expire(T0.plusSeconds(40));
    b.expire(T0.plusSeconds(3_600));

    assertThat(b.spend(T0).expiredLeaseIds()).as("fails closed").containsExactly(g.leaseId());
    assertThat(b.line(T0, "tenant", LimitKind.USD).held()).isEqualTo(150_000L);
  }

  @Test
  void a_settlement_after_its_lease_was_reconciled_adds_only_what_the_audit_did_not_count() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = expiredLease(b);
    b.gone.add("n1");
    b.kit.<StatusReply<SettleAck>>runCommand(r -> new ReconcileLease(g.leaseId(), usd(120_000), r));

    // The node was not gone after all: it settles calls the audit had (70,000) and one it had not (10,000).
    var late = b.settle(g.leaseId(), 2, usd(80_000), false, T0.plusSeconds(60));

    assertThat(late.event()).isInstanceOf(LeaseLateSettled.class);
    assertThat(((LeaseLateSettled) late.event()).excess().usdMicros()).isEqualTo(10_000);
    assertThat(late.reply().getValue().late()).isTrue();
    assertThat(b.line(T0, "tenant", LimitKind.USD).spent()).isEqualTo(130_000L);
  }

  @Test
  void a_gone_nodes_overdraft_batch_is_settled_from_its_audit_once_its_minute_and_the_grace_are_over() {
    BudgetKit b = budget();
    b.setLimits(new TenantLimits("UTC", FailMode.OPEN, 10_000, List.of(
        limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000),
        limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 100))));
    Instant admitted = Instant.parse("2025-03-10T10:00:20Z");
    String dead = TenantBudget.OVERDRAFT_LEASE_PREFIX + "dead";
    String live = TenantBudget.OVERDRAFT_LEASE_PREFIX + "live";
    b.overdraftBatches.put(dead, new OverdraftBatchRow(dead, "n1", "k1", null, admitted));
    b.overdraftBatches.put(live, new OverdraftBatchRow(live, "n2", "k1", null, admitted));
    b.audited.put(dead, new Demand(3_000, 40, 2));
    b.audited.put(live, new Demand(5_000, 60, 3));
    b.gone.add("n1");

    b.expire(admitted.plusSeconds(30));
    var beforeGrace = b.spend(admitted);
    b.expire(admitted.plusSeconds(51));

    assertThat(beforeGrace.lines()).as("within its minute and the grace").allMatch(l -> l.spent() == 0);
    testKit.createTestProbe().awaitAssert(() -> {
      assertThat(b.line(admitted, "tenant", LimitKind.USD).spent()).as("the dead node's batch").isEqualTo(3_000L);
      assertThat(b.line(admitted, "tenant", LimitKind.REQUESTS_PER_MINUTE).spent())
          .as("in the minute it was admitted in").isEqualTo(2L);
      assertThat(b.overdraftBatches).as("marked settled; the live node's batch left to its node")
          .containsOnlyKeys(live);
      return null;
    });

    // its node, not dead after all, settles it too: counted once
    b.kit.<StatusReply<SettleAck>>runCommand(r -> new TenantBudget.SettleOverdraft(
        dead, "k1", null, admitted, new Demand(3_000, 40, 2), r));
    b.expire(admitted.plusSeconds(120));
    assertThat(b.line(admitted, "tenant", LimitKind.USD).spent()).isEqualTo(3_000L);
  }

  @Test
  void a_burst_of_overdraft_batches_does_not_push_out_a_reconciled_leases_tombstone() {
    BudgetKit b = dailyUsd(1_000_000_000);
    LeaseGrant g = expiredLease(b);
    b.gone.add("n1");
    b.kit.<StatusReply<SettleAck>>runCommand(r -> new ReconcileLease(g.leaseId(), usd(120_000), r));

    for (int i = 0; i <= TenantBudget.State.TOMBSTONES_KEPT; i++) {
      int n = i;
      b.kit.<StatusReply<SettleAck>>runCommand(r -> new TenantBudget.SettleOverdraft(
          TenantBudget.OVERDRAFT_LEASE_PREFIX + n, "k" + n, null, T0.plusSeconds(70), usd(1), r));
    }
    var late = b.settle(g.leaseId(), 2, usd(80_000), false, T0.plusSeconds(90));

    assertThat(late.event()).as("the reconciled lease's node settles late: still counted")
        .isInstanceOf(LeaseLateSettled.class);
    assertThat(((LeaseLateSettled) late.event()).excess().usdMicros()).isEqualTo(10_000);
  }

  @Test
  void a_settlement_after_its_minute_ended_counts_in_the_minute_it_was_admitted_in() {
    BudgetKit b = budget();
    b.limits("UTC", limit("tenant", LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, 100_000),
        limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000));
    Instant minute = Instant.parse("2025-03-10T10:00:00Z");
    LeaseGrant g = b.grant("n1", "k1", null, new Demand(10_000, 5_000, 1), new Demand(1_000, 500, 1),
        minute.plusSeconds(50));
    var expired = b.expire(minute.plusSeconds(61));

    var late = b.settle(g.leaseId(), 1, new Demand(7_000, 3_000, 1), true, minute.plusSeconds(95));

    assertThat(g.expiresAt()).isEqualTo(minute.plusSeconds(60));
    assertThat(expired.events()).containsExactly(new LeaseExpired(g.leaseId()));
    assertThat(late.event()).isInstanceOf(LeaseSettled.class);
    assertThat(b.line(minute.plusSeconds(59), "tenant", LimitKind.TOKENS_PER_MINUTE).spent()).isEqualTo(3_000L);
    assertThat(b.line(minute.plusSeconds(95), "tenant", LimitKind.TOKENS_PER_MINUTE).spent()).isZero();
    assertThat(b.line(minute.plusSeconds(95), "tenant", LimitKind.USD).spent()).isEqualTo(7_000L);
  }

  @Test
  void a_lease_whose_answer_never_reached_its_node_is_released_at_the_nodes_next_request() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant kept = b.grant("n1", "k1", null, usd(100_000), usd(1_000), T0);
    LeaseGrant lost = b.grant("n1", "k1", null, usd(300_000), usd(1_000), T0.plusSeconds(1));
    LeaseGrant otherKey = b.grant("n1", "k2", null, usd(100_000), usd(1_000), T0.plusSeconds(1));
    b.clock.set(T0.plusSeconds(3));

    // The node timed out waiting for "lost" and asks again, naming the lease it holds for k1.
    var next = b.kit.<StatusReply<LeaseGrant>>runCommand(r -> new TenantBudget.AcquireLease(
        "n1", "k1", null, usd(100_000), usd(1_000), T0.plusSeconds(3), List.of(kept.leaseId()), r));

    assertThat(next.events()).hasSize(2).first().isEqualTo(new LeaseReconciled(lost.leaseId(), Demand.ZERO));
    assertThat(next.reply().getValue().granted()).isTrue();
    assertThat(b.kit.getState().leases()).containsOnlyKeys(kept.leaseId(), otherKey.leaseId(),
        next.reply().getValue().leaseId());
    assertThat(b.line(T0, "tenant", LimitKind.USD).held()).isEqualTo(300_000L);
  }

  // ---- limits and time zones changed while spending ----

  @Test
  void removing_a_limit_and_adding_it_again_keeps_its_spend() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant g = b.grant("n1", "k1", null, usd(200_000), usd(1_000), T0);
    b.settle(g.leaseId(), 1, usd(300_000), true, T0.plusSeconds(1));

    b.limits("UTC", limit("tenant", LimitKind.TOKENS, Period.DAILY, 1_000_000));
    b.limits("UTC", limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000));

    assertThat(b.line(T0.plusSeconds(2), "tenant", LimitKind.USD).spent()).isEqualTo(300_000L);
  }

  @Test
  void changing_the_time_zone_carries_the_current_days_spend_and_leases_into_the_new_zones_day() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant settled = b.grant("n1", "k1", null, usd(400_000), usd(1_000), T0);
    b.settle(settled.leaseId(), 1, usd(400_000), true, T0.plusSeconds(1));
    LeaseGrant open = b.grant("n1", "k1", null, usd(100_000), usd(1_000), T0.plusSeconds(2));
    b.clock.set(T0.plusSeconds(3));

    var changed = b.setLimits(new TenantLimits("Pacific/Auckland", FailMode.CLOSED, 0,
        List.of(limit("tenant", LimitKind.USD, Period.DAILY, 1_000_000))));
    b.settle(open.leaseId(), 1, usd(50_000), true, T0.plusSeconds(4));

    assertThat(changed.events()).hasSize(2).last().isInstanceOf(WindowsMoved.class);
    assertThat(b.line(T0.plusSeconds(5), "tenant", LimitKind.USD))
        .as("the Auckland day that contains now continues from the UTC day's spend")
        .extracting(SpendLine::spent, SpendLine::held, SpendLine::available)
        .containsExactly(450_000L, 0L, 550_000L);
    assertThat(b.grant("n2", "k1", null, usd(1_000_000), usd(600_000), T0.plusSeconds(6)).granted()).isFalse();
  }

  // ---- clocks ----

  @Test
  void a_node_clock_far_ahead_does_not_choose_the_window() {
    BudgetKit b = budget();
    b.limits("UTC", limit("tenant", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 100));
    Instant entityNow = Instant.parse("2025-03-10T10:00:30Z");
    b.clock.set(entityNow);

    var fromTheFuture = b.kit.<StatusReply<LeaseGrant>>runCommand(r -> new TenantBudget.AcquireLease(
        "n1", "k1", null, new Demand(0, 0, 10), new Demand(0, 0, 1), entityNow.plusSeconds(120), r));
    var slightlyAhead = b.kit.<StatusReply<LeaseGrant>>runCommand(r -> new TenantBudget.AcquireLease(
        "n2", "k1", null, new Demand(0, 0, 10), new Demand(0, 0, 1), entityNow.plusSeconds(1), r));

    LeaseGranted far = (LeaseGranted) fromTheFuture.event();
    assertThat(far.grantedAt()).isEqualTo(entityNow);
    assertThat(far.expiresAt()).isEqualTo(Instant.parse("2025-03-10T10:01:00Z"));
    assertThat(far.granted().keySet()).extracting(WindowKey::windowStartEpochMillis)
        .containsExactly(Instant.parse("2025-03-10T10:00:00Z").toEpochMilli());
    assertThat(((LeaseGranted) slightlyAhead.event()).grantedAt()).as("within the tolerance the node's time is used")
        .isEqualTo(entityNow.plusSeconds(1));
  }

  // ---- recovery ----

  @Test
  void a_restart_keeps_limits_ledger_and_leases() {
    BudgetKit b = dailyUsd(1_000_000);
    LeaseGrant expired = expiredLease(b);
    LeaseGrant open = b.grant("n2", "k2", null, usd(100_000), usd(1_000), T0.plusSeconds(40));
    b.settle(open.leaseId(), 1, usd(20_000), false, T0.plusSeconds(41));
    SpendReport before = b.spend(T0.plusSeconds(41));
    TenantLimits limitsBefore = b.kit.<StatusReply<TenantLimits>>runCommand(GetLimits::new).reply().getValue();

    b.kit.restart();

    assertThat(b.spend(T0.plusSeconds(41))).isEqualTo(before);
    assertThat(b.kit.<StatusReply<TenantLimits>>runCommand(GetLimits::new).reply().getValue()).isEqualTo(limitsBefore);
    assertThat(b.settle(open.leaseId(), 1, usd(20_000), false, T0.plusSeconds(42)).hasNoEvents())
        .as("the settle sequence survived").isTrue();
    assertThat(b.spend(T0).expiredLeaseIds()).containsExactly(expired.leaseId());
  }

  @Test
  void a_restart_after_a_snapshot_keeps_everything() {
    BudgetKit b = dailyUsd(100_000_000);
    List<LeaseGrant> grants = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      LeaseGrant g = b.grant("n" + (i % 3), "k" + (i % 4), null, usd(10_000), usd(1_000), T0);
      b.settle(g.leaseId(), 1, usd(1_000 + i), i % 2 == 0, T0.plusSeconds(1));
      grants.add(g);
    }
    SpendReport before = b.spend(T0);

    b.kit.restart();

    assertThat(b.spend(T0)).isEqualTo(before);
    assertThat(b.kit.getState().leases()).hasSize(30);
  }

  // ---- windows ----

  @Test
  void a_daily_budget_in_berlin_resets_at_local_midnight() {
    BudgetKit b = budget();
    b.limits("Europe/Berlin", limit("tenant", LimitKind.USD, Period.DAILY, 100_000));
    Instant lateEvening = Instant.parse("2025-06-15T21:30:00Z");
    Instant localMidnight = Instant.parse("2025-06-15T22:00:00Z");
    LeaseGrant all = b.grant("n1", "k1", null, usd(100_000), usd(100_000), lateEvening);
    b.settle(all.leaseId(), 1, usd(100_000), true, lateEvening);

    LeaseGrant beforeMidnight = b.grant("n1", "k1", null, usd(1), usd(1), localMidnight.minusMillis(1));
    LeaseGrant afterMidnight = b.grant("n1", "k1", null, usd(1), usd(1), localMidnight);

    assertThat(beforeMidnight.granted()).isFalse();
    assertThat(beforeMidnight.retryAfter()).isEqualTo(localMidnight);
    assertThat(afterMidnight.granted()).isTrue();
  }

  @Test
  void a_monthly_budget_resets_on_the_first_of_the_month_in_the_tenant_zone() {
    BudgetKit b = budget();
    b.limits("America/New_York", limit("tenant", LimitKind.USD, Period.MONTHLY, 100_000));
    Instant firstOfApril = Instant.parse("2025-04-01T04:00:00Z");
    LeaseGrant all = b.grant("n1", "k1", null, usd(100_000), usd(100_000), Instant.parse("2025-03-02T12:00:00Z"));
    b.settle(all.leaseId(), 1, usd(100_000), true, Instant.parse("2025-03-02T12:00:01Z"));

    LeaseGrant lastMinuteOfMarch = b.grant("n1", "k1", null, usd(1), usd(1), firstOfApril.minusSeconds(30));
    LeaseGrant april = b.grant("n1", "k1", null, usd(1), usd(1), firstOfApril);

    assertThat(lastMinuteOfMarch.granted()).isFalse();
    assertThat(lastMinuteOfMarch.retryAfter()).isEqualTo(firstOfApril);
    assertThat(april.granted()).isTrue();
  }

  @Test
  void a_daily_budget_on_the_day_summer_time_starts_lasts_23_hours() {
    BudgetKit b = budget();
    b.limits("Europe/Berlin", limit("tenant", LimitKind.USD, Period.DAILY, 100_000));
    Instant dayStart = Instant.parse("2025-03-29T23:00:00Z");
    LeaseGrant all = b.grant("n1", "k1", null, usd(100_000), usd(100_000), dayStart.plusSeconds(60));
    b.settle(all.leaseId(), 1, usd(100_000), true, dayStart.plusSeconds(61));

    LeaseGrant refused = b.grant("n1", "k1", null, usd(1), usd(1), dayStart.plusSeconds(22 * 3600 + 59 * 60));
    LeaseGrant nextDay = b.grant("n1", "k1", null, usd(1), usd(1), dayStart.plusSeconds(23 * 3600));

    assertThat(refused.granted()).isFalse();
    assertThat(refused.retryAfter()).isEqualTo(dayStart.plusSeconds(23 * 3600));
    assertThat(nextDay.granted()).isTrue();
  }

  @Test
  void a_lease_granted_just_before_midnight_ends_at_midnight() {
    BudgetKit b = dailyUsd(1_000_000);

    LeaseGrant g = b.grant("n1", "k1", null, usd(1_000), usd(100), END_OF_DAY.minusSeconds(10));

    assertThat(g.expiresAt()).isEqualTo(END_OF_DAY);
  }

  @Test
  void every_grant_is_a_persisted_event_with_its_windows() {
    BudgetKit b = dailyUsd(1_000_000);

    var result = b.acquire("n1", "k1", "ml", usd(200_000), usd(1_000), T0);

    Event event = result.event();
    assertThat(event).isInstanceOf(LeaseGranted.class);
    LeaseGranted granted = (LeaseGranted) event;
    assertThat(granted.leaseId()).isEqualTo(result.reply().getValue().leaseId());
    assertThat(granted.granted()).containsExactly(java.util.Map.entry(
        new WindowKey("tenant", LimitKind.USD, Period.DAILY, Instant.parse("2025-03-10T00:00:00Z").toEpochMilli()),
        200_000L));
    assertThat(granted.team()).isEqualTo("ml");
  }
}
