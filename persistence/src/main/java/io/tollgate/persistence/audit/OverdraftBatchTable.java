package io.tollgate.persistence.audit;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.tollgate.persistence.budget.OverdraftBatchRow;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Table {@code overdraft_batches} (see {@code ddl/tollgate.cql}): each overdraft call registers its
 * batch (an idempotent upsert, written with the call's admission row, so the batch is known before
 * any of its answers is seen); the tenant's entity reads the unsettled ones to settle those whose
 * node died with them, and marks a batch settled once counted.
 */
public final class OverdraftBatchTable {
  private static final int REGISTER = 0;
  private static final int OF_TENANT = 1;
  private static final int SETTLED = 2;

  private final ActorSystem<?> system;
  private final AuditSettings settings;
  private final CassandraSession session;
  private final List<String> cql;
  private final AtomicReference<CompletableFuture<List<PreparedStatement>>> prepared = new AtomicReference<>();

  private OverdraftBatchTable(ActorSystem<?> system, AuditSettings settings) {
    this.system = system;
    this.settings = settings;
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
    String table = settings.keyspace() + ".overdraft_batches";
    this.cql = List.of(
        "INSERT INTO " + table + " (tenant_id, batch_id, owner, key_id, team, admitted_at) VALUES (?, ?, ?, ?, ?, ?)",
        "SELECT batch_id, owner, key_id, team, admitted_at, settled FROM " + table + " WHERE tenant_id = ?",
        "UPDATE " + table + " SET settled = true WHERE tenant_id = ? AND batch_id = ?");
  }

  /** The table with its statements being prepared (the node waits for {@link #ready} before it serves). */
  public static OverdraftBatchTable create(ActorSystem<?> system) {
    OverdraftBatchTable table = new OverdraftBatchTable(system, AuditSettings.from(system.settings().config()));
    table.ready();
    return table;
  }

  /** Completes once the table exists and its statements are prepared. */
  public CompletionStage<Void> ready() {
    return statement(REGISTER).thenApply(p -> null);
  }

  /** Registers a batch; fails like an admission row that is not written within the admission timeout. */
  public CompletionStage<Void> register(String tenantId, OverdraftBatchRow batch) {
    return statement(REGISTER)
        .thenCompose(p -> session.executeWrite(p.bind(tenantId, batch.batchId(), batch.owner(), batch.keyId(),
                batch.team(), batch.admittedAt())
            .setIdempotent(true).setConsistencyLevel(settings.consistency())))
        .toCompletableFuture()
        .orTimeout(settings.admissionTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(done -> null);
  }

  /** The tenant's batches not marked settled. */
  public CompletionStage<List<OverdraftBatchRow>> unsettled(String tenantId) {
    return statement(OF_TENANT)
        .thenCompose(p -> session.selectAll(p.bind(tenantId).setConsistencyLevel(settings.consistency())))
        .thenApply(rows -> rows.stream().filter(r -> !r.getBoolean("settled")).map(OverdraftBatchTable::batch).toList());
  }

  public CompletionStage<Void> markSettled(String tenantId, String batchId) {
    return statement(SETTLED)
        .thenCompose(p -> session.executeWrite(p.bind(tenantId, batchId)
            .setIdempotent(true).setConsistencyLevel(settings.consistency())))
        .thenApply(done -> null);
  }

  private static OverdraftBatchRow batch(Row r) {
    return new OverdraftBatchRow(r.getString("batch_id"), r.getString("owner"), r.getString("key_id"),
        r.getString("team"), r.getInstant("admitted_at"));
  }

  private CompletionStage<PreparedStatement> statement(int index) {
    while (true) {
      CompletableFuture<List<PreparedStatement>> current = prepared.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current.thenApply(p -> p.get(index));
      }
      CompletableFuture<List<PreparedStatement>> next = new CompletableFuture<>();
      if (prepared.compareAndSet(current, next)) {
        AuditTables.get(system).ensure(settings).thenCompose(d -> {
          List<CompletableFuture<PreparedStatement>> all =
              cql.stream().map(q -> session.prepare(q).toCompletableFuture()).toList();
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
              .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
        }).whenComplete((p, failure) -> {
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
}
