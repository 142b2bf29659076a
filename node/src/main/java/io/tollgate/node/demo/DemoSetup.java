package io.tollgate.node.demo;

import io.tollgate.node.TollgateNode;
import io.tollgate.persistence.registry.CreatedKey;
import io.tollgate.persistence.registry.KeyAdmin;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.registry.TenantInfo;
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
        .thenCompose(ignored -> createKey(keys, preset))
        .thenCompose(created -> {
          if (!created.info().revoked()) {
            return CompletableFuture.completedFuture(created.secret() != null ? created.secret() : preset);
          }
          log.warn("The preset demo key (id {}) has been revoked; creating a new demo key", created.info().keyId());
          return createKey(keys, null).thenApply(CreatedKey::secret);
        });
  }

  private static CompletionStage<CreatedKey> createKey(KeyAdmin keys, String preset) {
    return keys.create(TENANT, "demo", List.of(), preset, null);
  }
}
