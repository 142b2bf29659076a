package io.tollgate.persistence.registry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Creating, revoking and listing a tenant's API keys, on any node. Keys are written to Cassandra
 * ({@link KeyStore}) and each change is pushed to every node as one {@link KeyChange}; the tenant
 * must exist in the {@link KeyRegistry} (asked once per tenant and node: tenants are never removed).
 *
 * <p>Secrets never reach storage: a secret is generated here, only its SHA-256 is written, and
 * the secret goes back once in the {@link CreatedKey}.
 */
public final class KeyAdmin {
  static final int MAX_NAME_LENGTH = KeyRegistry.MAX_NAME_LENGTH;
  /** Tenants remembered as existing per node; past this every check asks the registry. */
  private static final int MAX_KNOWN_TENANTS = 1_000_000;

  private final ActorSystem<?> system;
  private final KeyStore store;
  private final KeyDirectory directory;
  private final Duration askTimeout;
  private final Set<String> knownTenants = ConcurrentHashMap.newKeySet();

  public KeyAdmin(ActorSystem<?> system, KeyStore store, KeyDirectory directory, Duration askTimeout) {
    this.system = system;
    this.store = store;
    this.directory = directory;
    this.askTimeout = askTimeout;
  }

  /**
   * Creates a key for an existing tenant.
   *
   * @param allowedModels logical models the key may use; empty (or null) means all
   * @param presetSecret null to generate a secret; otherwise exactly this one (for
   *     {@code TOLLGATE_DEMO_KEY}): it must start with {@code tg_} and be at least 20 characters. If
   *     a key with this secret exists already for the tenant, the answer is that key.
   * @param team the key's team (its team budgets apply); null or blank for none
   */
  public CompletionStage<CreatedKey> create(
      String tenantId, String name, List<String> allowedModels, String presetSecret, String team) {
    String problem = problem(name, allowedModels, presetSecret, team);
    if (problem != null) {
      return CompletableFuture.failedFuture(new KeyRefused(problem));
    }
    return tenant(tenantId).thenCompose(known -> {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      String secret = presetSecret != null ? presetSecret : ApiKeys.newSecret();
      KeyInfo key = new KeyInfo(ApiKeys.newKeyId(), tenantId, name.strip(), ApiKeys.sha256Hex(secret),
          models(allowedModels), false, now, null, blankToNull(team));
      if (presetSecret == null) {
        return store.insert(key, now).thenApply(done -> {
          published(KeyChange.of(key, now));
          return new CreatedKey(key, secret);
        });
      }
      return store.insertIfAbsent(key, now).thenApply(stored -> {
        if (!stored.tenantId().equals(tenantId)) {
          throw new KeyRefused("this secret is already in use");
        }
        if (stored.keyId().equals(key.keyId())) {
          published(KeyChange.of(key, now));
        }
        return new CreatedKey(stored, secret);
      });
    });
  }

  /** Revokes a key; revoking a revoked key answers with it unchanged. */
  public CompletionStage<KeyInfo> revoke(String tenantId, String keyId) {
    return tenant(tenantId)
        .thenCompose(known -> store.byId(tenantId, keyId))
        .thenCompose(found -> {
          if (found.isEmpty()) {
            return CompletableFuture.failedFuture(new KeyRefused("unknown key " + keyId));
          }
          KeyInfo key = found.get();
          if (key.revoked()) {
            return CompletableFuture.completedFuture(key);
          }
          Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
          KeyInfo revoked = key.revoke(now);
          return store.revoke(key, now).thenApply(done -> {
            published(KeyChange.of(revoked, now));
            return revoked;
          });
        });
  }

  /** A page of the tenant's keys (active and revoked), oldest first; never secrets. */
  public CompletionStage<KeyPage> list(String tenantId, KeyPage.Cursor after, int limit) {
    return tenant(tenantId).thenCompose(known -> store.page(tenantId, after, limit));
  }

  /**
   * The bulk path: {@code count} keys with generated secrets for one tenant, written in batches and
   * not pushed (no node can have been shown these secrets yet, and a node that refused one a moment
   * ago forgets that within {@code tollgate.registry.cache.refusal-ttl}).
   */
  public CompletionStage<List<CreatedKey>> importNew(String tenantId, String namePrefix, int count) {
    return tenant(tenantId).thenCompose(known -> {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<CreatedKey> created = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String secret = ApiKeys.newSecret();
        created.add(new CreatedKey(new KeyInfo(ApiKeys.newKeyId(), tenantId, namePrefix + i,
            ApiKeys.sha256Hex(secret), List.of(), false, now, null, null), secret));
      }
      return store.importKeys(created.stream().map(CreatedKey::info).toList()).thenApply(done -> created);
    });
  }

  private void published(KeyChange change) {
    directory.apply(change);
    RegistryTopic.get(system).tell(Topic.publish(change));
  }

  /** Completes when the tenant exists; fails with the registry's "unknown tenant" answer otherwise. */
  private CompletionStage<Done> tenant(String tenantId) {
    if (tenantId != null && knownTenants.contains(tenantId)) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return KeyRegistry.ref(system)
        .<TenantInfo>askWithStatus(r -> new KeyRegistry.GetTenant(tenantId, r), askTimeout)
        .thenApply(t -> {
          if (knownTenants.size() < MAX_KNOWN_TENANTS) {
            knownTenants.add(t.tenantId());
          }
          return Done.getInstance();
        });
  }

  private static String problem(String name, List<String> allowedModels, String presetSecret, String team) {
    if (name == null || name.isBlank() || name.strip().length() > MAX_NAME_LENGTH) {
      return "key name must be 1 to " + MAX_NAME_LENGTH + " characters";
    }
    if (team != null && team.strip().length() > MAX_NAME_LENGTH) {
      return "team must be at most " + MAX_NAME_LENGTH + " characters";
    }
    if (allowedModels != null && allowedModels.stream().anyMatch(m -> m == null || m.isBlank())) {
      return "allowed models must not be blank";
    }
    if (presetSecret != null && !ApiKeys.isValidPresetSecret(presetSecret)) {
      return "a preset secret must start with " + ApiKeys.SECRET_PREFIX + " and be at least "
          + ApiKeys.MIN_SECRET_LENGTH + " characters";
    }
    return null;
  }

  private static List<String> models(List<String> allowedModels) {
    return allowedModels == null ? List.of() : allowedModels.stream().map(String::strip).distinct().toList();
  }

  private static String blankToNull(String team) {
    return team == null || team.isBlank() ? null : team.strip();
  }
}
