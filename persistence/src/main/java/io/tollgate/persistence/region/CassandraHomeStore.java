package io.tollgate.persistence.region;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.audit.AuditTables;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * {@link HomeStore} on table {@code tenant_home} of the {@code tollgate} keyspace (created with the
 * audit tables from {@code ddl/tollgate.cql}). Writes are lightweight transactions with the
 * configured serial consistency (LOCAL_SERIAL by default, so a move works while another region is
 * down; see {@link HomeMover} on what that allows), reads use the audit's consistency level.
 */
public final class CassandraHomeStore implements HomeStore {
  private static final String COLUMNS = "tenant_id, region, version, moved_at, moved_from, settled";
  private static final int ALL = 0;
  private static final int ONE = 1;
  private static final int INSERT = 2;
  private static final int UPDATE = 3;
  private static final int SETTLE = 4;

  private final ActorSystem<?> system;
  private final AuditSettings audit;
  private final RegionSettings regions;
  private final CassandraSession session;
  private final List<String> cql;
  private final AtomicReference<CompletableFuture<List<PreparedStatement>>> prepared = new AtomicReference<>();

  public CassandraHomeStore(ActorSystem<?> system, AuditSettings audit, RegionSettings regions) {
    this.system = system;
    this.audit = audit;
    this.regions = regions;
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(audit.sessionConfigPath()));
    String table = audit.keyspace() + ".tenant_home";
    this.cql = List.of(
        "SELECT " + COLUMNS + " FROM " + table,
        "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ?",
        "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) IF NOT EXISTS",
        "UPDATE " + table + " SET region = ?, version = ?, moved_at = ?, moved_from = ?, settled = ?"
            + " WHERE tenant_id = ? IF version = ?",
        "UPDATE " + table + " SET settled = true WHERE tenant_id = ? IF version = ?");
  }

  @Override
  public CompletionStage<List<TenantHome>> loadAll() {
    return statement(ALL)
        .thenCompose(p -> session.selectAll(read(p.bind())))
        .thenApply(rows -> rows.stream().map(CassandraHomeStore::home).toList());
  }

  @Override
  public CompletionStage<Optional<TenantHome>> read(String tenantId) {
    return statement(ONE)
        .thenCompose(p -> session.selectOne(read(p.bind(tenantId))))
        .thenApply(row -> row.map(CassandraHomeStore::home));
  }

  @Override
  public CompletionStage<Boolean> write(TenantHome next, long expectedVersion) {
    if (expectedVersion == 0) {
      return statement(INSERT).thenCompose(p -> conditional(p.bind(next.tenantId(), next.region(), next.version(),
          next.movedAt(), next.movedFrom(), next.settled())));
    }
    return statement(UPDATE).thenCompose(p -> conditional(p.bind(next.region(), next.version(), next.movedAt(),
        next.movedFrom(), next.settled(), next.tenantId(), expectedVersion)));
  }

  @Override
  public CompletionStage<Boolean> settle(String tenantId, long version) {
    return statement(SETTLE).thenCompose(p -> conditional(p.bind(tenantId, version)));
  }

  private BoundStatement read(BoundStatement s) {
    return s.setConsistencyLevel(audit.consistency());
  }

  private CompletionStage<Boolean> conditional(BoundStatement s) {
    BoundStatement lwt = s.setConsistencyLevel(audit.consistency())
        .setSerialConsistencyLevel(regions.serialConsistency());
    return session.underlying()
        .thenCompose(cqlSession -> cqlSession.executeAsync(lwt))
        .thenApply(AsyncResultSet::wasApplied);
  }

  private static TenantHome home(Row row) {
    return new TenantHome(row.getString("tenant_id"), row.getString("region"), row.getLong("version"),
        row.getInstant("moved_at"), row.getString("moved_from"), row.getBoolean("settled"));
  }

  /** Statements prepared once the tables exist; a failed attempt (Cassandra not up yet) is tried again. */
  private CompletionStage<PreparedStatement> statement(int index) {
    while (true) {
      CompletableFuture<List<PreparedStatement>> current = prepared.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current.thenApply(p -> p.get(index));
      }
      CompletableFuture<List<PreparedStatement>> next = new CompletableFuture<>();
      if (prepared.compareAndSet(current, next)) {
        prepare().whenComplete((p, failure) -> {
          if (failure != null) {
            next.completeExceptionally(failure);
          } else {
            next.complete(p);
          }
        });
        return next.thenApply(p -> p.get(index));
      }
    }
  }

  private CompletionStage<List<PreparedStatement>> prepare() {
    return AuditTables.get(system).ensure(audit).thenCompose(done -> {
      List<CompletableFuture<PreparedStatement>> all =
          cql.stream().map(q -> session.prepare(q).toCompletableFuture()).toList();
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    });
  }
}
