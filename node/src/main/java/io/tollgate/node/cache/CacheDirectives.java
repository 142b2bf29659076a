package io.tollgate.node.cache;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a request's {@code Cache-Control} header asks of the response cache: {@code no-store}
 * (neither read nor write), {@code no-cache} (do not serve a stored answer; call the provider and
 * store the new one), {@code max-age=N} (serve only answers at most N seconds old). Unknown
 * directives are ignored.
 */
public record CacheDirectives(boolean noStore, boolean noCache, OptionalLong maxAgeSeconds) {
  public static final CacheDirectives NONE = new CacheDirectives(false, false, OptionalLong.empty());

  public static CacheDirectives parse(String header) {
    if (header == null || header.isBlank()) {
      return NONE;
    }
    boolean noStore = false;
    boolean noCache = false;
    OptionalLong maxAge = OptionalLong.empty();
    for (String part : header.split(",")) {
      String d = part.strip().toLowerCase(Locale.ROOT);
      if (d.equals("no-store")) {
        noStore = true;
      } else if (d.equals("no-cache")) {
        noCache = true;
      } else if (d.startsWith("max-age=")) {
        try {
          long n = Long.parseLong(d.substring("max-age=".length()).strip());
          if (n >= 0) {
            maxAge = OptionalLong.of(n);
          }
        } catch (NumberFormatException ignored) {
          // a malformed max-age is ignored, as HTTP caches do
        }
      }
    }
    return new CacheDirectives(noStore, noCache, maxAge);
  }

  /** The oldest answer this request accepts, in milliseconds. */
  public long maxAgeMillis() {
    return maxAgeSeconds.isPresent() ? Math.multiplyExact(Math.min(maxAgeSeconds.getAsLong(), 10_000_000L), 1000L)
        : Long.MAX_VALUE;
  }
}
