package io.tollgate.node.accounting;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.awaitility.Awaitility;

/** Starting work a given time before a UTC minute ends: computed from the clock, then awaited. */
final class MinuteBoundary {
  private MinuteBoundary() {}

  /**
   * Waits until it is between {@code earliest} and {@code latest} before a minute's end (at once if
   * it is now) and returns that minute's end.
   */
  static Instant awaitBefore(Duration earliest, Duration latest) {
    Instant now = Instant.now();
    Instant boundary = minuteOf(now).plusSeconds(60);
    if (now.isAfter(boundary.minus(latest).minusSeconds(1))) {
      boundary = boundary.plusSeconds(60);
    }
    Instant start = boundary.minus(earliest);
    Awaitility.await(earliest.toSeconds() + " s before the minute ends").atMost(Duration.ofSeconds(75))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !Instant.now().isBefore(start));
    return boundary;
  }

  static Instant minuteOf(Instant t) {
    return t.truncatedTo(ChronoUnit.MINUTES);
  }
}
