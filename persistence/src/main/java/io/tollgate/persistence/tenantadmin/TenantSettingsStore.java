package io.tollgate.persistence.tenantadmin;

import io.tollgate.persistence.audit.AuditSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Per-tenant audit settings (table {@code tenant_settings}), e.g. the opt-in to storing request
 * and response bodies. Reads are cached on the node for {@code tollgate.tenant-admin.cache-ttl}
 * (default 10 s): a change reaches the other nodes within that time, the changing node at once.
 */
public final class TenantSettingsStore {
  private static final int MAX_CACHED = 10_000;
  private static final int UPSERT = 0;
  private static final int BY_TENANT = 1;

  private final TenantAdminCql cql;
  private final TtlCache<String, TenantSettings> cache;

  private TenantSettingsStore(TenantAdminCql cql, Duration ttl, LongSupplier nanoClock) {
    this.cql = cql;
    this.cache = new TtlCache<>(ttl, MAX_CACHED, nanoClock);
  }

  /** The store on the audit's Cassandra session and keyspace. */
  public static TenantSettingsStore create(ActorSystem<?> system) {
    return create(system, AuditSettings.from(system.settings().config()), TenantAdminCql.cacheTtl(system), System::nanoTime);
  }

  static TenantSettingsStore create(ActorSystem<?> system, AuditSettings settings, Duration ttl, LongSupplier nanoClock) {
    TenantAdminCql cql = new TenantAdminCql(system, settings, List.of(
        "INSERT INTO ${keyspace}.tenant_settings (tenant_id, store_bodies, updated_at) VALUES (?, ?, ?)",
        "SELECT tenant_id, store_bodies, updated_at FROM ${keyspace}.tenant_settings WHERE tenant_id = ?"));
    TenantSettingsStore store = new TenantSettingsStore(cql, ttl, nanoClock);
    cql.statements();
    return store;
  }

  /** Completes when the tables exist and the statements are prepared. */
  public CompletionStage<Done> ready() {
    return cql.statements().thenApply(s -> Done.getInstance());
  }

  /** The tenant's settings; the defaults when it never set any. */
  public CompletionStage<TenantSettings> get(String tenantId) {
    return cache.get(tenantId, t -> cql.statement(BY_TENANT)
        .thenCompose(p -> cql.session.selectOne(cql.consistent(p.bind(t))))
        .thenApply(row -> row
            .map(r -> new TenantSettings(t, r.getBoolean("store_bodies"), r.getInstant("updated_at")))
            .orElseGet(() -> TenantSettings.defaults(t))));
  }

  /** Whether the tenant opted in to storing bodies (for {@code AuditBodies}). */
  public CompletionStage<Boolean> storesBodies(String tenantId) {
    return get(tenantId).thenApply(TenantSettings::storeBodies);
  }

  /** Sets whether the tenant's request and response bodies are stored from now on. */
  public CompletionStage<TenantSettings> update(String tenantId, boolean storeBodies) {
    TenantSettings next = new TenantSettings(tenantId, storeBodies, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return cql.statement(UPSERT)
        .thenCompose(p -> cql.session.executeWrite(cql.consistent(p.bind(tenantId, storeBodies, next.updatedAt()))))
        .thenApply(done -> {
          cache.put(tenantId, next);
          return next;
        });
  }
}
