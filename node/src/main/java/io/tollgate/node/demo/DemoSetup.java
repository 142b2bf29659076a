package io.tollgate.node.demo;

import io.tollgate.persistence.registry.CreatedKey;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.registry.TenantInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Creates the demo tenant and its key on a fresh gateway, so {@code ./tollgate up} prints a key
 * that works at once. With a preset key (TOLLGATE_DEMO_KEY) it is idempotent across restarts.
 */
public final class DemoSetup {
  public static final String TENANT = "demo";
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private DemoSetup() {}

  /** The demo key's secret (the preset one, or a new one). */
  public static CompletionStage<String> ensure(ActorSystem<?> system, String presetKey) {
    var registry = KeyRegistry.ref(system);
    CompletionStage<TenantInfo> tenant =
        registry.<TenantInfo>askWithStatus(r -> new KeyRegistry.CreateTenant(TENANT, "Demo tenant", r), ASK_TIMEOUT)
            .exceptionally(alreadyThere -> null);
    return tenant.thenCompose(ignored ->
        registry.<CreatedKey>askWithStatus(
                r -> new KeyRegistry.CreateKey(TENANT, "demo", List.of(), presetKey == null || presetKey.isBlank() ? null : presetKey, r),
                ASK_TIMEOUT)
            .thenApply(created -> created.secret() != null ? created.secret() : presetKey));
  }

}
