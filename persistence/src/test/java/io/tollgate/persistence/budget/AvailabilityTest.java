package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static final WindowKey DAY = new WindowKey("tenant", LimitKind.USD, Period.DAILY, 0);
  private static final WindowKey OTHER_DAY = new WindowKey("tenant", LimitKind.USD, Period.DAILY, 86_400_000);
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  private static Lease lease(String id, long granted, long settled) {
    return new Lease(id, "node", "k1", null, T, T.plusSeconds(30), Map.of(DAY, granted),
        settled == 0 ? Map.of() : Map.of(DAY, settled), 0);
  }

  @Test
  void open_leases_hold_what_they_have_not_settled() {
    List<Lease> leases = List.of(lease("a", 300, 100), lease("b", 50, 0));

    assertThat(Availability.held(DAY, leases)).isEqualTo(250);
    assertThat(Availability.held(OTHER_DAY, leases)).isZero();
  }

  @Test
  void available_is_limit_minus_spent_minus_held() {
    List<Lease> leases = List.of(lease("a", 300, 100));

    assertThat(Availability.available(1_000, DAY, Map.of(DAY, 400L), leases)).isEqualTo(400);
  }

  @Test
  void a_lease_that_settled_more_than_it_was_granted_holds_nothing() {
    assertThat(Availability.held(DAY, List.of(lease("a", 100, 150)))).isZero();
  }

  @Test
  void a_key_is_subject_to_tenant_team_and_key_limits_only() {
    Limit tenant = new Limit("tenant", LimitKind.USD, Period.DAILY, 1);
    Limit team = new Limit("team:ml", LimitKind.USD, Period.DAILY, 1);
    Limit otherTeam = new Limit("team:web", LimitKind.USD, Period.DAILY, 1);
    Limit key = new Limit("key:k1", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 1);
    Limit otherKey = new Limit("key:k2", LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, 1);
    List<Limit> all = List.of(tenant, team, otherTeam, key, otherKey);

    assertThat(Availability.applicable(all, "k1", "ml")).containsExactly(tenant, team, key);
    assertThat(Availability.applicable(all, "k1", null)).containsExactly(tenant, key);
  }

  @Test
  void limits_are_validated() {
    Limit ok = new Limit("tenant", LimitKind.USD, Period.DAILY, 1);
    assertThat(LimitsValidation.problem(new TenantLimits("Europe/Berlin", FailMode.OPEN, 10, List.of(ok)))).isEmpty();
    assertThat(LimitsValidation.problem(new TenantLimits("Mars/Olympus", FailMode.OPEN, 10, List.of(ok))))
        .hasValueSatisfying(p -> assertThat(p).contains("time zone"));
    assertThat(LimitsValidation.problem(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.USD, Period.DAILY, -1))))).isPresent();
    assertThat(LimitsValidation.problem(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.TOKENS_PER_MINUTE, Period.DAILY, 5))))).isPresent();
    assertThat(LimitsValidation.problem(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("tenant", LimitKind.TOKENS, Period.MINUTE, 5))))).isPresent();
    assertThat(LimitsValidation.problem(new TenantLimits("UTC", FailMode.CLOSED, 0,
        List.of(new Limit("group:x", LimitKind.USD, Period.DAILY, 5))))).isPresent();
    assertThat(LimitsValidation.problem(new TenantLimits("UTC", FailMode.CLOSED, 0, List.of(ok, ok)))).isPresent();
    assertThat(LimitsValidation.problem(new TenantLimits("UTC", FailMode.CLOSED, -1, List.of()))).isPresent();
  }
}
