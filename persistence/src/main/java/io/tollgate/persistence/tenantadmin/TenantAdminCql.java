package io.tollgate.persistence.tenantadmin;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.audit.AuditTables;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cassandra side shared by the tenant admin stores: the audit session and keyspace, the tables
 * of {@code ddl/tollgate.cql}, and statements prepared once (tried again after a failure).
 */
final class TenantAdminCql {
  private static final Logger log = LoggerFactory.getLogger(TenantAdminCql.class);
  /** How long a node trusts a cached token or setting, unless {@code tollgate.tenant-admin.cache-ttl} says otherwise. */
  static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);

  final ActorSystem<?> system;
  final CassandraSession session;
  final AuditSettings settings;
  private final List<String> cql;
  private final AtomicReference<CompletableFuture<List<PreparedStatement>>> prepared = new AtomicReference<>();

  /** {@code cql} may name tables as {@code ${keyspace}.table}. */
  TenantAdminCql(ActorSystem<?> system, AuditSettings settings, List<String> cql) {
    this.system = system;
    this.settings = settings;
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
    this.cql = cql.stream().map(q -> q.replace("${keyspace}", settings.keyspace())).toList();
  }

  static Duration cacheTtl(ActorSystem<?> system) {
    var config = system.settings().config();
    return config.hasPath("tollgate.tenant-admin.cache-ttl")
        ? config.getDuration("tollgate.tenant-admin.cache-ttl") : DEFAULT_CACHE_TTL;
  }

  /** The prepared statements, in the order of the constructor's list. */
  CompletionStage<List<PreparedStatement>> statements() {
    while (true) {
      CompletableFuture<List<PreparedStatement>> current = prepared.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<List<PreparedStatement>> next = new CompletableFuture<>();
      if (prepared.compareAndSet(current, next)) {
        prepare().whenComplete((p, failure) -> {
          if (failure != null) {
            log.warn("tenant admin tables not ready yet: {}", failure.getClass().getSimpleName());
            next.completeExceptionally(failure);
          } else {
            next.complete(p);
          }
        });
        return next;
      }
    }
  }

  CompletionStage<PreparedStatement> statement(int index) {
    return statements().thenApply(p -> p.get(index));
  }

  BoundStatement consistent(BoundStatement s) {
    return s.setConsistencyLevel(settings.consistency());
  }

  private CompletionStage<List<PreparedStatement>> prepare() {
    return AuditTables.get(system).ensure(settings).thenCompose(d -> {
      List<CompletableFuture<PreparedStatement>> all =
          cql.stream().map(q -> session.prepare(q).toCompletableFuture()).toList();
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    });
  }
}
