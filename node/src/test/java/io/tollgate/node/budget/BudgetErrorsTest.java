package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.DenialReason;
import io.tollgate.persistence.budget.LeaseGrant;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.LimitStatus;
import io.tollgate.persistence.budget.Period;
import io.tollgate.protocol.ClientApi;
import io.tollgate.protocol.ErrorKind;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.junit.jupiter.api.Test;

class BudgetErrorsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T23:59:30.200Z");

  @Test
  void an_exhausted_daily_budget_is_a_429_with_retry_after_until_the_day_ends() {
    LeaseGrant refusal = LeaseGrant.denied(DenialReason.BUDGET_EXHAUSTED, Instant.parse("2026-03-02T00:00:00Z"),
        List.of(new LimitStatus(LimitKind.USD, Period.DAILY, "team:research", 1_000_000, 20, null)), null);

    BudgetRejection r = BudgetErrors.refused(refusal, new Demand(500, 10, 1), NOW);

    assertThat(r.error().kind()).isEqualTo(ErrorKind.BUDGET_EXCEEDED);
    assertThat(r.error().kind().status()).isEqualTo(429);
    assertThat(r.error().kind().typeFor(ClientApi.OPENAI)).isEqualTo("budget_exceeded");
    assertThat(r.error().getMessage()).contains("daily USD budget of team research");
    assertThat(r.retryAfterSeconds()).hasValue(30);
    assertThat(r.headers()).extracting(HttpHeader::name).contains("retry-after");
  }

  @Test
  void a_lifetime_budget_has_no_retry_after() {
    LeaseGrant refusal = LeaseGrant.denied(DenialReason.BUDGET_EXHAUSTED, null,
        List.of(new LimitStatus(LimitKind.TOKENS, Period.LIFETIME, "key:k1", 1000, 3, null)), null);

    BudgetRejection r = BudgetErrors.refused(refusal, new Demand(0, 10, 1), NOW);

    assertThat(r.retryAfterSeconds()).isEmpty();
    assertThat(r.headers()).extracting(HttpHeader::name).doesNotContain("retry-after");
    assertThat(r.error().getMessage()).contains("lifetime token budget of this API key");
  }

  @Test
  void a_full_minute_is_rate_limited_not_budget_exceeded() {
    LeaseGrant refusal = LeaseGrant.denied(DenialReason.RATE_LIMITED, Instant.parse("2026-03-02T00:00:00Z"),
        List.of(new LimitStatus(LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, "tenant", 60, 0,
            Instant.parse("2026-03-02T00:00:00Z"))), null);

    BudgetRejection r = BudgetErrors.refused(refusal, new Demand(0, 10, 1), NOW);

    assertThat(r.error().kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(r.error().kind().typeFor(ClientApi.ANTHROPIC)).isEqualTo("rate_limit_error");
    assertThat(r.retryAfterSeconds()).hasValue(30);
    assertThat(r.error().getMessage()).contains("60 requests per minute for the tenant");
  }

  @Test
  void failing_closed_is_a_503_budget_unavailable() {
    BudgetRejection r = BudgetErrors.unavailable(NOW);

    assertThat(r.error().kind()).isEqualTo(ErrorKind.BUDGET_UNAVAILABLE);
    assertThat(r.error().kind().status()).isEqualTo(503);
    assertThat(r.error().kind().typeFor(ClientApi.OPENAI)).isEqualTo("budget_unavailable");
    assertThat(r.retryAfterSeconds()).isEmpty();
  }
}
