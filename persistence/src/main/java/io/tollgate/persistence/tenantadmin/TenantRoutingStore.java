package io.tollgate.persistence.tenantadmin;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.reflect.GenericType;
import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.audit.AuditTables;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Per-tenant routing policies (table {@code tenant_routing}): which deployments of a model a
 * tenant's calls may use, pins, and the keys that may pick a strategy. The request path reads the
 * policy on every call, so reads are cached on the node for {@code tollgate.tenant-admin.cache-ttl}
 * (default 10 s) and a cached read never touches Cassandra: a change reaches the other nodes within
 * that time, the changing node at once.
 */
public final class TenantRoutingStore {
  /**
   * The table, in the keyspace of {@code ddl/tollgate.cql}. Created here when
   * {@code tollgate.audit.create-schema} is on; in production create it with the rest of the schema.
   */
  static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS ${keyspace}.tenant_routing (\n"
      + "  tenant_id           text,\n"
      + "  allowed_deployments map<text, frozen<list<text>>>,\n"
      + "  pinned              map<text, text>,\n"
      + "  strategy_keys       list<text>,\n"
      + "  updated_at          timestamp,\n"
      + "  PRIMARY KEY (tenant_id)\n"
      + ")";
  private static final GenericType<Map<String, List<String>>> ALLOWED =
      GenericType.mapOf(GenericType.STRING, GenericType.listOf(GenericType.STRING));
  private static final int MAX_CACHED = 10_000;
  private static final int UPSERT = 0;
  private static final int BY_TENANT = 1;

  private final TenantAdminCql cql;
  private final TtlCache<String, TenantRouting> cache;
  private final AtomicReference<CompletableFuture<Done>> table = new AtomicReference<>();

  private TenantRoutingStore(TenantAdminCql cql, Duration ttl, LongSupplier nanoClock) {
    this.cql = cql;
    this.cache = new TtlCache<>(ttl, MAX_CACHED, nanoClock);
  }

  /** The store on the audit's Cassandra session and keyspace. */
  public static TenantRoutingStore create(ActorSystem<?> system) {
    return create(system, AuditSettings.from(system.settings().config()), TenantAdminCql.cacheTtl(system), System::nanoTime);
  }

  static TenantRoutingStore create(ActorSystem<?> system, AuditSettings settings, Duration ttl, LongSupplier nanoClock) {
    TenantAdminCql cql = new TenantAdminCql(system, settings, List.of(
        "INSERT INTO ${keyspace}.tenant_routing (tenant_id, allowed_deployments, pinned, strategy_keys, updated_at)"
            + " VALUES (?, ?, ?, ?, ?)",
        "SELECT allowed_deployments, pinned, strategy_keys, updated_at FROM ${keyspace}.tenant_routing WHERE tenant_id = ?"));
    TenantRoutingStore store = new TenantRoutingStore(cql, ttl, nanoClock);
    store.ready();
    return store;
  }

  /** Completes when the table exists and the statements are prepared. */
  public CompletionStage<Done> ready() {
    return tableExists().thenCompose(d -> cql.statements()).thenApply(s -> Done.getInstance());
  }

  /** The tenant's policy; the defaults (every deployment, no pins) when it never set one. */
  public CompletionStage<TenantRouting> get(String tenantId) {
    return cache.get(tenantId, t -> ready()
        .thenCompose(d -> cql.statement(BY_TENANT))
        .thenCompose(p -> cql.session.selectOne(cql.consistent(p.bind(t))))
        .thenApply(row -> row.map(r -> read(t, r)).orElseGet(() -> TenantRouting.defaults(t))));
  }

  /**
   * Replaces the tenant's policy with {@code policy} (its {@code updatedAt} is ignored) and answers
   * with what was stored.
   */
  public CompletionStage<TenantRouting> update(TenantRouting policy) {
    TenantRouting next = new TenantRouting(policy.tenantId(), policy.allowedDeployments(), policy.pinned(),
        policy.strategyKeys(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return ready()
        .thenCompose(d -> cql.statement(UPSERT))
        .thenCompose(p -> cql.session.executeWrite(cql.consistent(p.bind(next.tenantId(), next.allowedDeployments(),
            next.pinned(), next.strategyKeys(), next.updatedAt()))))
        .thenApply(done -> {
          cache.put(next.tenantId(), next);
          return next;
        });
  }

  private static TenantRouting read(String tenantId, Row r) {
    return new TenantRouting(tenantId, r.get("allowed_deployments", ALLOWED),
        r.getMap("pinned", String.class, String.class), r.getList("strategy_keys", String.class),
        r.getInstant("updated_at"));
  }

  /** The audit tables, then this one; a failed attempt (Cassandra not up yet) is tried again by the next caller. */
  private CompletionStage<Done> tableExists() {
    while (true) {
      CompletableFuture<Done> current = table.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<Done> next = new CompletableFuture<>();
      if (table.compareAndSet(current, next)) {
        AuditTables.get(cql.system).ensure(cql.settings)
            .thenCompose(d -> cql.settings.createSchema()
                ? cql.session.executeDDL(TABLE_DDL.replace("${keyspace}", cql.settings.keyspace()))
                : CompletableFuture.completedFuture(Done.getInstance()))
            .whenComplete((d, failure) -> {
              if (failure != null) {
                next.completeExceptionally(failure);
              } else {
                next.complete(Done.getInstance());
              }
            });
        return next;
      }
    }
  }
}
