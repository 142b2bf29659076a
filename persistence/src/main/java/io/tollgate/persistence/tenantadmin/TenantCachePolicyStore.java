package io.tollgate.persistence.tenantadmin;

import com.datastax.oss.driver.api.core.cql.Row;
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
 * Per-tenant response cache policies (table {@code tenant_cache}). The request path reads the
 * policy on every chat call, so reads are cached on the node for {@code tollgate.tenant-admin.cache-ttl}
 * (default 10 s): a change reaches the other nodes within that time, the changing node at once.
 */
public final class TenantCachePolicyStore {
  private static final int MAX_CACHED = 10_000;
  private static final int UPSERT = 0;
  private static final int BY_TENANT = 1;

  private final TenantAdminCql cql;
  private final TtlCache<String, TenantCachePolicy> cache;

  private TenantCachePolicyStore(TenantAdminCql cql, Duration ttl, LongSupplier nanoClock) {
    this.cql = cql;
    this.cache = new TtlCache<>(ttl, MAX_CACHED, nanoClock);
  }

  /** The store on the audit's Cassandra session and keyspace. */
  public static TenantCachePolicyStore create(ActorSystem<?> system) {
    TenantAdminCql cql = new TenantAdminCql(system, AuditSettings.from(system.settings().config()), List.of(
        "INSERT INTO ${keyspace}.tenant_cache (tenant_id, mode, ttl_seconds, similarity_threshold, cache_tool_calls,"
            + " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        "SELECT mode, ttl_seconds, similarity_threshold, cache_tool_calls, updated_at FROM ${keyspace}.tenant_cache"
            + " WHERE tenant_id = ?"));
    TenantCachePolicyStore store = new TenantCachePolicyStore(cql, TenantAdminCql.cacheTtl(system), System::nanoTime);
    cql.statements();
    return store;
  }

  public CompletionStage<Done> ready() {
    return cql.statements().thenApply(s -> Done.getInstance());
  }

  /** The tenant's policy; off when it never set one. */
  public CompletionStage<TenantCachePolicy> get(String tenantId) {
    return cache.get(tenantId, t -> cql.statement(BY_TENANT)
        .thenCompose(p -> cql.session.selectOne(cql.consistent(p.bind(t))))
        .thenApply(row -> row.map(r -> read(t, r)).orElseGet(() -> TenantCachePolicy.defaults(t))));
  }

  /** Replaces the tenant's policy (its {@code updatedAt} is ignored) and answers with what was stored. */
  public CompletionStage<TenantCachePolicy> update(TenantCachePolicy policy) {
    TenantCachePolicy next = new TenantCachePolicy(policy.tenantId(), policy.mode(), policy.ttlSeconds(),
        policy.similarityThreshold(), policy.cacheToolCalls(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return cql.statement(UPSERT)
        .thenCompose(p -> cql.session.executeWrite(cql.consistent(p.bind(next.tenantId(), next.mode().wire(),
            next.ttlSeconds(), next.similarityThreshold(), next.cacheToolCalls(), next.updatedAt()))))
        .thenApply(done -> {
          cache.put(next.tenantId(), next);
          return next;
        });
  }

  private static TenantCachePolicy read(String tenantId, Row r) {
    return new TenantCachePolicy(tenantId,
        TenantCachePolicy.Mode.parse(r.getString("mode")).orElse(TenantCachePolicy.Mode.OFF),
        r.getInt("ttl_seconds"), r.getDouble("similarity_threshold"), r.getBoolean("cache_tool_calls"),
        r.getInstant("updated_at"));
  }
}
