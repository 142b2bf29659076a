package io.tollgate.persistence.audit;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit records in Cassandra, table {@code audit_by_tenant_day} (see {@code ddl/tollgate.cql}).
 * Uses the session pekko-persistence-cassandra already holds ({@code tollgate.audit.session-config-path}),
 * prepared statements, and never blocks: every method returns at once.
 *
 * <p>With {@code tollgate.audit.create-schema = true} the keyspace and table are created before
 * the first statement is prepared. If that (or preparing) fails, for example because Cassandra
 * is not up yet, the next call tries again.
 */
public final class AuditStore {
  private static final Logger log = LoggerFactory.getLogger(AuditStore.class);

  private static final String COLUMNS =
      "tenant_id, day, time, request_id, key_id, client_api, logical_model, provider, upstream_model, "
          + "input_tokens, output_tokens, cached_tokens, cache_write_tokens, usage_estimated, cost_micros, "
          + "latency_millis, ttft_millis, status, error_type, streamed";

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final AuditSettings settings;
  private final AtomicReference<CompletableFuture<Statements>> statements = new AtomicReference<>();

  private record Statements(
      PreparedStatement insert, PreparedStatement byDay, PreparedStatement byDayLimited, PreparedStatement byRequest) {}

  private AuditStore(ActorSystem<?> system, AuditSettings settings) {
    this.system = system;
    this.settings = settings;
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
  }

  /** The store on the Cassandra session of pekko-persistence-cassandra; starts schema creation and preparing. */
  public static AuditStore create(ActorSystem<?> system) {
    return create(system, AuditSettings.from(system.settings().config()));
  }

  static AuditStore create(ActorSystem<?> system, AuditSettings settings) {
    AuditStore store = new AuditStore(system, settings);
    store.statements();
    return store;
  }

  /** Completes when the schema exists (if this store creates it) and the statements are prepared. */
  public CompletionStage<Done> ready() {
    return statements().thenApply(s -> Done.getInstance());
  }

  /**
   * Writes one record (an upsert: writing the same record again changes nothing). A failed write is
   * retried with backoff, {@code tollgate.audit.write-attempts} times in all; then it is logged as
   * lost (by request id only) and the returned stage fails.
   */
  public CompletionStage<Done> write(AuditRecord r) {
    int attempts = settings.writeAttempts();
    CompletionStage<Done> result = Patterns.retry(
        () -> statements().thenCompose(s -> session.executeWrite(bindInsert(s.insert(), r))),
        attempts - 1,
        settings.minBackoff(),
        settings.maxBackoff(),
        0.2,
        system);
    return result.whenComplete((done, failure) -> {
      if (failure != null) {
        log.error("audit record {} lost after {} attempts: {}", r.requestId(), attempts, describe(failure));
      }
    });
  }

  /** A tenant's records of one UTC day, newest first. */
  public CompletionStage<List<AuditRecord>> forTenantDay(String tenantId, LocalDate day) {
    return statements()
        .thenCompose(s -> session.selectAll(statement(s.byDay().bind(tenantId, day))))
        .thenApply(AuditStore::records);
  }

  /** At most {@code limit} of a tenant's records of one UTC day, newest first. */
  public CompletionStage<List<AuditRecord>> forTenantDay(String tenantId, LocalDate day, int limit) {
    return statements()
        .thenCompose(s -> session.selectAll(statement(s.byDayLimited().bind(tenantId, day, limit))))
        .thenApply(AuditStore::records);
  }

  /** One record by request id, within the tenant's day partition. */
  public CompletionStage<Optional<AuditRecord>> byRequestId(String tenantId, LocalDate day, String requestId) {
    return statements()
        .thenCompose(s -> session.selectOne(statement(s.byRequest().bind(tenantId, day, requestId))))
        .thenApply(row -> row.map(AuditStore::record));
  }

  private CompletionStage<Statements> statements() {
    while (true) {
      CompletableFuture<Statements> current = statements.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<Statements> next = new CompletableFuture<>();
      if (statements.compareAndSet(current, next)) {
        prepare().whenComplete((s, failure) -> {
          if (failure != null) {
            log.warn("audit store not ready yet: {}", describe(failure));
            next.completeExceptionally(failure);
          } else {
            next.complete(s);
          }
        });
        return next;
      }
    }
  }

  private CompletionStage<Statements> prepare() {
    CompletionStage<Done> schema = CompletableFuture.completedFuture(Done.getInstance());
    if (settings.createSchema()) {
      for (String ddl : AuditSchema.statements(settings.keyspace(), settings.replicationFactor())) {
        schema = schema.thenCompose(d -> session.executeDDL(ddl));
      }
    }
    String table = settings.keyspace() + ".audit_by_tenant_day";
    return schema.thenCompose(d -> session.prepare(
            "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        .thenCompose(insert -> session.prepare(
                "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? AND day = ?")
            .thenCompose(byDay -> session.prepare(
                    "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? AND day = ? LIMIT ?")
                .thenCompose(byDayLimited -> session.prepare(
                        // Filtering inside one partition only: request_id is not the first clustering column.
                        "SELECT " + COLUMNS + " FROM " + table
                            + " WHERE tenant_id = ? AND day = ? AND request_id = ? ALLOW FILTERING")
                    .thenApply(byRequest -> new Statements(insert, byDay, byDayLimited, byRequest)))));
  }

  private BoundStatement bindInsert(PreparedStatement insert, AuditRecord r) {
    BoundStatementBuilder b = insert.boundStatementBuilder()
        .setString("tenant_id", r.tenantId())
        .setLocalDate("day", r.day())
        .setInstant("time", r.time())
        .setString("request_id", r.requestId())
        .setLong("input_tokens", r.inputTokens())
        .setLong("output_tokens", r.outputTokens())
        .setLong("cached_tokens", r.cachedTokens())
        .setLong("cache_write_tokens", r.cacheWriteTokens())
        .setBoolean("usage_estimated", r.usageEstimated())
        .setLong("cost_micros", r.costMicros())
        .setLong("latency_millis", r.latencyMillis())
        .setLong("ttft_millis", r.ttftMillis())
        .setInt("status", r.status())
        .setBoolean("streamed", r.streamed());
    // Null text columns stay unset rather than bound to null, which would write tombstones.
    b = setIfPresent(b, "key_id", r.keyId());
    b = setIfPresent(b, "client_api", r.clientApi());
    b = setIfPresent(b, "logical_model", r.logicalModel());
    b = setIfPresent(b, "provider", r.provider());
    b = setIfPresent(b, "upstream_model", r.upstreamModel());
    b = setIfPresent(b, "error_type", r.errorType());
    return b.setIdempotence(true).setConsistencyLevel(settings.consistency()).build();
  }

  private BoundStatement statement(BoundStatement s) {
    return s.setConsistencyLevel(settings.consistency());
  }

  private static BoundStatementBuilder setIfPresent(BoundStatementBuilder b, String column, String value) {
    return value == null ? b : b.setString(column, value);
  }

  private static List<AuditRecord> records(List<Row> rows) {
    return rows.stream().map(AuditStore::record).toList();
  }

  private static AuditRecord record(Row row) {
    return new AuditRecord(
        row.getString("request_id"),
        row.getInstant("time"),
        row.getString("tenant_id"),
        row.getString("key_id"),
        row.getString("client_api"),
        row.getString("logical_model"),
        row.getString("provider"),
        row.getString("upstream_model"),
        row.getLong("input_tokens"),
        row.getLong("output_tokens"),
        row.getLong("cached_tokens"),
        row.getLong("cache_write_tokens"),
        row.getBoolean("usage_estimated"),
        row.getLong("cost_micros"),
        row.getLong("latency_millis"),
        row.getLong("ttft_millis"),
        row.getInt("status"),
        row.getString("error_type"),
        row.getBoolean("streamed"));
  }

  private static String describe(Throwable failure) {
    Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
