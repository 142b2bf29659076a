package io.tollgate.node.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.LimitStatus;
import io.tollgate.persistence.budget.Period;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:15:54Z");
  private static final Instant MINUTE_END = Instant.parse("2026-03-01T10:16:00Z");

  @Test
  void formats_durations_the_way_openai_does() {
    assertThat(RateLimitHeaders.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(RateLimitHeaders.format(Duration.ofMillis(120))).isEqualTo("120ms");
    assertThat(RateLimitHeaders.format(Duration.ofNanos(1))).isEqualTo("1ms");
    assertThat(RateLimitHeaders.format(Duration.ofMillis(999))).isEqualTo("999ms");
    assertThat(RateLimitHeaders.format(Duration.ofSeconds(6))).isEqualTo("6s");
    assertThat(RateLimitHeaders.format(Duration.ofMillis(6500))).isEqualTo("6.5s");
    assertThat(RateLimitHeaders.format(Duration.ofMillis(1020))).isEqualTo("1.02s");
    assertThat(RateLimitHeaders.format(Duration.ofSeconds(60))).isEqualTo("1m0s");
    assertThat(RateLimitHeaders.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(RateLimitHeaders.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(RateLimitHeaders.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
    assertThat(RateLimitHeaders.format(Duration.ofSeconds(-3))).isEqualTo("0s");
  }

  @Test
  void reports_the_tightest_request_and_token_limits() {
    List<LimitStatus> status = List.of(
        new LimitStatus(LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, "tenant", 1000, 700, MINUTE_END),
        new LimitStatus(LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, "key:k1", 60, 42, MINUTE_END),
        new LimitStatus(LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, "tenant", 90_000, 80_000, MINUTE_END),
        new LimitStatus(LimitKind.TOKENS, Period.LIFETIME, "key:k1", 50_000, 1_000, null),
        new LimitStatus(LimitKind.USD, Period.DAILY, "tenant", 5_000_000, 10, MINUTE_END));

    Map<String, String> headers = asMap(RateLimitHeaders.of(status, null, NOW));

    assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
        "x-ratelimit-limit-requests", "60",
        "x-ratelimit-remaining-requests", "42",
        "x-ratelimit-reset-requests", "6s",
        "x-ratelimit-limit-tokens", "50000",
        "x-ratelimit-remaining-tokens", "1000",
        RateLimitHeaders.WINDOW_HEADER, Long.toString(MINUTE_END.minusSeconds(60).toEpochMilli())));
  }

  @Test
  void counts_what_the_local_lease_still_holds_as_remaining() {
    List<LimitStatus> status = List.of(
        new LimitStatus(LimitKind.REQUESTS_PER_MINUTE, Period.MINUTE, "key:k1", 60, 40, MINUTE_END),
        new LimitStatus(LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, "key:k1", 10_000, 9_000, MINUTE_END));

    Map<String, String> headers = asMap(RateLimitHeaders.of(status, new Demand(Long.MAX_VALUE, 500, 3), NOW));

    assertThat(headers).containsEntry("x-ratelimit-remaining-requests", "43")
        .containsEntry("x-ratelimit-remaining-tokens", "9500")
        .containsEntry("x-ratelimit-reset-tokens", "6s");
  }

  @Test
  void sends_no_headers_without_request_or_token_limits() {
    List<LimitStatus> status = List.of(
        new LimitStatus(LimitKind.USD, Period.MONTHLY, "tenant", 5_000_000, 10, MINUTE_END));

    assertThat(RateLimitHeaders.of(status, null, NOW)).isEmpty();
    assertThat(RateLimitHeaders.of(List.of(), null, NOW)).isEmpty();
  }

  @Test
  void remaining_never_shows_below_zero_when_usage_passed_the_limit() {
    List<LimitStatus> status = List.of(
        new LimitStatus(LimitKind.TOKENS_PER_MINUTE, Period.MINUTE, "tenant", 1000, -250, MINUTE_END));

    assertThat(asMap(RateLimitHeaders.of(status, null, NOW))).containsEntry("x-ratelimit-remaining-tokens", "0");
  }

  private static Map<String, String> asMap(List<HttpHeader> headers) {
    return headers.stream().collect(Collectors.toMap(HttpHeader::name, HttpHeader::value));
  }
}
