package io.tollgate.node.demo;

import io.tollgate.node.TollgateNode;
import io.tollgate.persistence.registry.CreatedKey;
import io.tollgate.persistence.registry.KeyAdmin;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.registry.TenantInfo;
import io.tollgate.persistence.tenantadmin.TenantCachePolicy;
import io.tollgate.persistence.tenantadmin.TenantCachePolicyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the demo tenant and its key on a fresh gateway, so {@code ./tollgate up} prints a key
 * that works at once. With a preset key (TOLLGATE_DEMO_KEY) it is idempotent across restarts; a
 * preset key that an admin has revoked since is not handed out again: a new key is made instead.
 */
public final class DemoSetup {
  public static final String TENANT = "demo";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);

  private DemoSetup() {}

  /** The demo key's secret (the preset one, or a new one). */
  public static CompletionStage<String> ensure(TollgateNode node, String presetKey) {
    String preset = presetKey == null || presetKey.isBlank() ? null : presetKey.strip();
    ActorSystem<?> system = node.system();
    KeyAdmin keys = node.keys();
    var registry = KeyRegistry.ref(system);
    CompletionStage<TenantInfo> tenant =
        registry.<TenantInfo>askWithStatus(r -> new KeyRegistry.CreateTenant(TENANT, "Demo tenant", r), ASK_TIMEOUT)
            .exceptionally(alreadyThere -> null);
    return tenant
        .thenCompose(ignored -> cacheOn(node))
        .thenCompose(ignored -> createKey(keys, preset))
        .thenCompose(created -> {
          if (!created.info().revoked()) {
            return CompletableFuture.completedFuture(created.secret() != null ? created.secret() : preset);
          }
          log.warn("The preset demo key (id {}) has been revoked; creating a new demo key", created.info().keyId());
          return createKey(keys, null).thenApply(CreatedKey::secret);
        });
  }

  /** The demo tenant caches exact answers, unless an admin has set its cache policy already. */
  private static CompletionStage<Void> cacheOn(TollgateNode node) {
    TenantCachePolicyStore policies = node.cachePolicies();
    return policies.get(TENANT)
        .thenCompose(current -> current.updatedAt() != null ? CompletableFuture.completedFuture(current)
            : policies.update(new TenantCachePolicy(TENANT, TenantCachePolicy.Mode.EXACT,
                TenantCachePolicy.DEFAULT_TTL_SECONDS, TenantCachePolicy.DEFAULT_SIMILARITY_THRESHOLD, false, null)))
        .<Void>thenApply(p -> null)
        .exceptionally(failure -> {
          log.warn("could not turn the demo tenant's cache on: {}", failure.getClass().getSimpleName());
          return null;
        });
  }

  private static CompletionStage<CreatedKey> createKey(KeyAdmin keys, String preset) {
    return keys.create(TENANT, "demo", List.of(), preset, null);
  }
}
