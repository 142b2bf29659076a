package io.tollgate.node.security;

import com.typesafe.config.Config;
import java.util.Optional;

/**
 * The start-up check of the global admin token ({@code tollgate.admin-token}): empty turns the
 * admin API off; otherwise it must have at least {@code tollgate.security.admin-token.min-length}
 * characters of which {@code min-distinct} differ, so "admin" or "aaaa..." cannot guard every
 * tenant's keys. A node with a weak token refuses to start.
 */
public final class AdminTokenStrength {
  private AdminTokenStrength() {}

  /** Why the configured token is too weak; empty when it is fine or absent. */
  public static Optional<String> problem(Config config) {
    Config rules = config.getConfig("tollgate.security.admin-token");
    return problem(config.getString("tollgate.admin-token"), rules.getInt("min-length"), rules.getInt("min-distinct"));
  }

  static Optional<String> problem(String token, int minLength, int minDistinct) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    long distinct = token.chars().distinct().count();
    if (token.length() < minLength || distinct < minDistinct) {
      return Optional.of("The admin token (tollgate.admin-token / TOLLGATE_ADMIN_TOKEN) is too weak: it needs at least "
          + minLength + " characters, " + minDistinct + " of them different (it has " + token.length() + ", "
          + distinct + " different). Generate one, e.g. `openssl rand -hex 32`.");
    }
    return Optional.empty();
  }
}
