package io.tollgate.node.proxy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The wait a provider asks for: {@code retry-after-ms} (OpenAI), else {@code retry-after} in seconds or as an HTTP date. */
final class RetryAfter {
  private static final Duration MAX = Duration.ofHours(1);

  private RetryAfter() {}

  static Duration of(HttpResponse response) {
    Duration ms = response.getHeader("retry-after-ms").map(h -> parseMillis(h.value())).orElse(Duration.ZERO);
    if (!ms.isZero()) {
      return ms;
    }
    return response.getHeader("retry-after").map(HttpHeader::value).map(RetryAfter::parse).orElse(Duration.ZERO);
  }

  static Duration parse(String value) {
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return clamp(Duration.ofMillis(Math.round(seconds * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        return clamp(Duration.between(Instant.now(), at));
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO;
      }
    }
  }

  private static Duration parseMillis(String value) {
    try {
      return clamp(Duration.ofMillis(Math.round(Double.parseDouble(value.trim()))));
    } catch (NumberFormatException e) {
      return Duration.ZERO;
    }
  }

  private static Duration clamp(Duration d) {
    return d.isNegative() ? Duration.ZERO : d.compareTo(MAX) > 0 ? MAX : d;
  }
}
