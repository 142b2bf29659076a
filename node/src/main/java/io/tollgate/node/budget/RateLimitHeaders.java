package io.tollgate.node.budget;

import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.LimitKind;
import io.tollgate.persistence.budget.LimitStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * OpenAI's {@code x-ratelimit-limit|remaining|reset-requests|tokens} headers from the limits a
 * lease reported. Requests come from the tightest REQUESTS_PER_MINUTE limit, tokens from the
 * tightest TOKENS_PER_MINUTE or TOKENS limit ("tightest": least remaining); a pair is absent when
 * no such limit applies, and a reset header is absent for a LIFETIME limit. Durations are written
 * the way OpenAI (Go) writes them: {@code 120ms}, {@code 6s}, {@code 1.5s}, {@code 1m0s}.
 *
 * <p>With a REQUESTS_PER_MINUTE limit, {@value #WINDOW_HEADER} names the minute the request was
 * counted in (its start, epoch milliseconds): the window of the lease it was admitted from, which
 * is the window the limit charged. A request's arrival time can fall in the minute before, so this
 * is how a client (or a test) can count admissions per window exactly.
 */
public final class RateLimitHeaders {
  /** The start (epoch millis) of the requests-per-minute window an admission was counted in. */
  public static final String WINDOW_HEADER = "x-tollgate-ratelimit-window";
  private static final long MINUTE_MILLIS = 60_000;

  private RateLimitHeaders() {}

  /**
   * The headers for an admission.
   *
   * @param status the limits as the entity reported them with the lease (remaining excludes the lease)
   * @param leaseRemaining what the node's lease still holds (counted as remaining for the client);
   *     {@link Long#MAX_VALUE} in a dimension the lease does not limit
   */
  public static List<HttpHeader> of(List<LimitStatus> status, Demand leaseRemaining, Instant now) {
    List<HttpHeader> headers = new ArrayList<>(6);
    LimitStatus requests = tightest(status, leaseRemaining, true);
    LimitStatus tokens = tightest(status, leaseRemaining, false);
    add(headers, "requests", requests, leaseRemaining, now);
    add(headers, "tokens", tokens, leaseRemaining, now);
    if (requests != null && requests.resetsAt() != null) {
      headers.add(RawHeader.create(WINDOW_HEADER, Long.toString(requests.resetsAt().toEpochMilli() - MINUTE_MILLIS)));
    }
    return headers;
  }

  private static LimitStatus tightest(List<LimitStatus> status, Demand lease, boolean requests) {
    LimitStatus best = null;
    for (LimitStatus s : status) {
      boolean matches = requests
          ? s.kind() == LimitKind.REQUESTS_PER_MINUTE
          : s.kind() == LimitKind.TOKENS_PER_MINUTE || s.kind() == LimitKind.TOKENS;
      if (matches && (best == null || remaining(s, lease) < remaining(best, lease))) {
        best = s;
      }
    }
    return best;
  }

  private static void add(List<HttpHeader> headers, String what, LimitStatus s, Demand lease, Instant now) {
    if (s == null) {
      return;
    }
    headers.add(RawHeader.create("x-ratelimit-limit-" + what, Long.toString(s.limit())));
    headers.add(RawHeader.create("x-ratelimit-remaining-" + what, Long.toString(remaining(s, lease))));
    if (s.resetsAt() != null) {
      Duration left = Duration.between(now, s.resetsAt());
      headers.add(RawHeader.create("x-ratelimit-reset-" + what, format(left.isNegative() ? Duration.ZERO : left)));
    }
  }

  /** The limit's remaining plus what the local lease still holds of it, within 0..limit. */
  static long remaining(LimitStatus s, Demand lease) {
    long local = lease == null ? 0 : s.kind().of(lease);
    long sum = local == Long.MAX_VALUE ? s.remaining() : saturatedAdd(s.remaining(), Math.max(0, local));
    return Math.max(0, Math.min(s.limit(), sum));
  }

  /** A duration as Go prints it (millisecond precision, rounded up): {@code 0s}, {@code 120ms}, {@code 6.5s}, {@code 1h2m3s}. */
  public static String format(Duration d) {
    long nanos = d.isNegative() ? 0 : d.toNanos();
    long ms = nanos / 1_000_000 + (nanos % 1_000_000 == 0 ? 0 : 1);
    if (ms == 0) {
      return "0s";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    long hours = ms / 3_600_000;
    long minutes = ms / 60_000 % 60;
    long seconds = ms / 1000 % 60;
    long millis = ms % 1000;
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    out.append(seconds);
    if (millis > 0) {
      String fraction = millis < 10 ? "00" + millis : millis < 100 ? "0" + millis : Long.toString(millis);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(fraction, 0, end);
    }
    return out.append('s').toString();
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }
}
