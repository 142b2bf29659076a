package io.tollgate.persistence.budget;

import java.util.ArrayList;
import java.util.List;

/**
 * Limit scopes are plain strings: {@code tenant}, {@code team:<teamId>} or {@code key:<keyId>}.
 * A request by key K of team T (team may be absent) is subject to {@code tenant}, {@code team:T}
 * and {@code key:K}.
 */
public final class Scope {
  public static final String TENANT = "tenant";
  public static final String TEAM_PREFIX = "team:";
  public static final String KEY_PREFIX = "key:";

  private Scope() {}

  public static String team(String teamId) {
    return TEAM_PREFIX + teamId;
  }

  public static String key(String keyId) {
    return KEY_PREFIX + keyId;
  }

  /** The scopes a request by {@code keyId} of {@code team} (nullable) is subject to. */
  public static List<String> of(String keyId, String team) {
    List<String> scopes = new ArrayList<>(3);
    scopes.add(TENANT);
    if (team != null && !team.isEmpty()) {
      scopes.add(team(team));
    }
    if (keyId != null && !keyId.isEmpty()) {
      scopes.add(key(keyId));
    }
    return scopes;
  }

  /** Whether {@code scope} is well formed. */
  public static boolean isValid(String scope) {
    if (scope == null) {
      return false;
    }
    if (scope.equals(TENANT)) {
      return true;
    }
    if (scope.startsWith(TEAM_PREFIX)) {
      return !scope.substring(TEAM_PREFIX.length()).isBlank();
    }
    if (scope.startsWith(KEY_PREFIX)) {
      return !scope.substring(KEY_PREFIX.length()).isBlank();
    }
    return false;
  }
}
