package io.tollgate.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  @Test
  void reads_seconds_and_fractions_of_them() {
    assertThat(RetryAfter.parse("2")).isEqualTo(Duration.ofSeconds(2));
    assertThat(RetryAfter.parse(" 0.5 ")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void reads_an_http_date_as_the_time_left_until_it() {
    String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    assertThat(RetryAfter.parse(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
  }

  @Test
  void ignores_what_it_cannot_read_and_never_goes_negative_or_beyond_an_hour() {
    assertThat(RetryAfter.parse("soon")).isZero();
    assertThat(RetryAfter.parse("-3")).isZero();
    assertThat(RetryAfter.parse("86400")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void prefers_openais_retry_after_ms_header() {
    HttpResponse response = HttpResponse.create().addHeaders(java.util.List.of(
        RawHeader.create("retry-after", "3"), RawHeader.create("retry-after-ms", "250")));
    assertThat(RetryAfter.of(response)).isEqualTo(Duration.ofMillis(250));
    assertThat(RetryAfter.of(HttpResponse.create().addHeader(RawHeader.create("retry-after", "3"))))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(RetryAfter.of(HttpResponse.create())).isZero();
  }
}
