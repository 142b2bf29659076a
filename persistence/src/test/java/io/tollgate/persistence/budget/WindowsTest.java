package io.tollgate.persistence.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WindowsTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void a_utc_day_runs_from_midnight_to_midnight() {
    Instant at = Instant.parse("2025-06-15T13:45:10Z");

    assertThat(Windows.startOf(Period.DAILY, at, UTC)).isEqualTo(Instant.parse("2025-06-15T00:00:00Z"));
    assertThat(Windows.endOf(Period.DAILY, at, UTC)).isEqualTo(Instant.parse("2025-06-16T00:00:00Z"));
  }

  @Test
  void a_day_in_berlin_starts_at_local_midnight() {
    // 23:30 UTC on the 15th is 01:30 on the 16th in Berlin (summer time, UTC+2).
    Instant at = Instant.parse("2025-06-15T23:30:00Z");

    assertThat(Windows.startOf(Period.DAILY, at, BERLIN)).isEqualTo(Instant.parse("2025-06-15T22:00:00Z"));
    assertThat(Windows.endOf(Period.DAILY, at, BERLIN)).isEqualTo(Instant.parse("2025-06-16T22:00:00Z"));
  }

  @Test
  void the_day_summer_time_starts_is_23_hours_long() {
    Instant at = Instant.parse("2025-03-30T12:00:00Z");

    Instant start = Windows.startOf(Period.DAILY, at, BERLIN);
    Instant end = Windows.endOf(Period.DAILY, at, BERLIN);

    assertThat(start).isEqualTo(Instant.parse("2025-03-29T23:00:00Z"));
    assertThat(Duration.between(start, end)).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void the_day_summer_time_ends_is_25_hours_long() {
    Instant at = Instant.parse("2025-11-02T12:00:00Z");

    Instant start = Windows.startOf(Period.DAILY, at, NEW_YORK);
    Instant end = Windows.endOf(Period.DAILY, at, NEW_YORK);

    assertThat(start).isEqualTo(Instant.parse("2025-11-02T04:00:00Z"));
    assertThat(Duration.between(start, end)).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void a_month_starts_on_the_first_at_local_midnight() {
    Instant at = Instant.parse("2025-03-31T12:00:00Z");

    assertThat(Windows.startOf(Period.MONTHLY, at, NEW_YORK)).isEqualTo(Instant.parse("2025-03-01T05:00:00Z"));
    assertThat(Windows.endOf(Period.MONTHLY, at, NEW_YORK)).isEqualTo(Instant.parse("2025-04-01T04:00:00Z"));
  }

  @Test
  void month_ends_handle_short_months_and_leap_years() {
    assertThat(Windows.endOf(Period.MONTHLY, Instant.parse("2024-02-29T23:59:59Z"), UTC))
        .isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
    assertThat(Windows.startOf(Period.MONTHLY, Instant.parse("2025-02-28T10:00:00Z"), UTC))
        .isEqualTo(Instant.parse("2025-02-01T00:00:00Z"));
    assertThat(Windows.endOf(Period.MONTHLY, Instant.parse("2025-12-31T23:00:00Z"), UTC))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void the_last_instant_before_local_midnight_is_still_the_old_day() {
    Instant justBefore = Instant.parse("2025-06-15T21:59:59.999Z");
    Instant midnight = Instant.parse("2025-06-15T22:00:00Z");

    assertThat(Windows.startOf(Period.DAILY, justBefore, BERLIN)).isEqualTo(Instant.parse("2025-06-14T22:00:00Z"));
    assertThat(Windows.startOf(Period.DAILY, midnight, BERLIN)).isEqualTo(midnight);
  }

  @Test
  void a_minute_is_the_utc_epoch_minute_whatever_the_zone() {
    Instant at = Instant.parse("2025-06-15T13:45:10.500Z");

    assertThat(Windows.startOf(Period.MINUTE, at, NEW_YORK)).isEqualTo(Instant.parse("2025-06-15T13:45:00Z"));
    assertThat(Windows.endOf(Period.MINUTE, at, BERLIN)).isEqualTo(Instant.parse("2025-06-15T13:46:00Z"));
  }

  @Test
  void lifetime_starts_at_the_epoch_and_never_ends() {
    Instant at = Instant.parse("2025-06-15T13:45:10Z");

    assertThat(Windows.startOf(Period.LIFETIME, at, BERLIN)).isEqualTo(Instant.EPOCH);
    assertThat(Windows.endOf(Period.LIFETIME, at, BERLIN)).isNull();
  }

  @Test
  void a_window_key_carries_the_limit_series_and_start() {
    Limit limit = new Limit("team:ml", LimitKind.USD, Period.DAILY, 100);

    WindowKey window = Windows.windowOf(limit, Instant.parse("2025-06-15T13:45:10Z"), UTC);

    assertThat(window).isEqualTo(new WindowKey("team:ml", LimitKind.USD, Period.DAILY,
        Instant.parse("2025-06-15T00:00:00Z").toEpochMilli()));
    assertThat(Windows.endOf(window, UTC)).isEqualTo(Instant.parse("2025-06-16T00:00:00Z"));
  }
}
