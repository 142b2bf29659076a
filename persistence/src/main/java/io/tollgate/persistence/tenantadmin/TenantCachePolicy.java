package io.tollgate.persistence.tenantadmin;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A tenant's response cache policy.
 *
 * @param mode off, exact, or semantic (which includes exact; answered as exact for now)
 * @param ttlSeconds how long a stored answer may be served
 * @param similarityThreshold the cosine a semantic hit must reach (kept for the semantic cache)
 * @param cacheToolCalls whether answers that call tools are stored
 * @param updatedAt null while the tenant never set a policy
 */
public record TenantCachePolicy(
    String tenantId, Mode mode, int ttlSeconds, double similarityThreshold, boolean cacheToolCalls,
    Instant updatedAt) {

  public static final int DEFAULT_TTL_SECONDS = 3600;
  public static final double DEFAULT_SIMILARITY_THRESHOLD = 0.95;

  public enum Mode {
    OFF, EXACT, SEMANTIC;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Mode> parse(String s) {
      for (Mode m : values()) {
        if (m.wire().equals(s)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** The policy of a tenant that never set one: cache off. */
  public static TenantCachePolicy defaults(String tenantId) {
    return new TenantCachePolicy(tenantId, Mode.OFF, DEFAULT_TTL_SECONDS, DEFAULT_SIMILARITY_THRESHOLD, false, null);
  }

  public boolean enabled() {
    return mode != Mode.OFF;
  }
}
