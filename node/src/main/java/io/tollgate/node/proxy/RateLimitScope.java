package io.tollgate.node.proxy;

import java.util.Locale;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Whether a provider's 429 is about the deployment (its account's limit is used up: trips the
 * circuit for everyone) or about this one request (too large for what is left, or one caller's
 * burst while the account still has room: the call fails over, the circuit is not told).
 *
 * <p>The provider's own rate-limit headers decide: OpenAI and Azure send
 * {@code x-ratelimit-remaining-requests} and {@code x-ratelimit-remaining-tokens}, Anthropic
 * {@code anthropic-ratelimit-requests-remaining} and {@code anthropic-ratelimit-(input-|output-)tokens-remaining}.
 * A 429 is request-specific only when the answer reports both a requests and a tokens count and
 * every count it reports is above 0. Without those headers (Gemini, most proxies) a 429 counts
 * for the deployment, as before.
 */
final class RateLimitScope {
  private RateLimitScope() {}

  static boolean requestSpecific(HttpResponse response) {
    boolean requests = false;
    boolean tokens = false;
    for (HttpHeader h : response.getHeaders()) {
      String name = h.lowercaseName();
      Kind kind = kind(name);
      if (kind == null) {
        continue;
      }
      long remaining = parse(h.value());
      if (remaining <= 0) {
        return false;
      }
      if (kind == Kind.REQUESTS) {
        requests = true;
      } else {
        tokens = true;
      }
    }
    return requests && tokens;
  }

  private enum Kind { REQUESTS, TOKENS }

  private static Kind kind(String name) {
    if (name.startsWith("x-ratelimit-remaining-")) {
      String what = name.substring("x-ratelimit-remaining-".length());
      return what.equals("requests") ? Kind.REQUESTS : what.endsWith("tokens") ? Kind.TOKENS : null;
    }
    if (name.startsWith("anthropic-ratelimit-") && name.endsWith("-remaining")) {
      String what = name.substring("anthropic-ratelimit-".length(), name.length() - "-remaining".length());
      return what.equals("requests") ? Kind.REQUESTS : what.endsWith("tokens") ? Kind.TOKENS : null;
    }
    return null;
  }

  /** The count, or -1 when it is not a plain number (then the 429 counts for the deployment). */
  private static long parse(String value) {
    try {
      return Long.parseLong(value.trim().toLowerCase(Locale.ROOT));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
