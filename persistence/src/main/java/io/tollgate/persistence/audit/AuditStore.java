package io.tollgate.persistence.audit;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit records in Cassandra, table {@code audit_by_tenant_day}, and the opt-in call bodies in
 * {@code audit_bodies_by_tenant_day} (see {@code ddl/tollgate.cql}). Uses the session
 * pekko-persistence-cassandra already holds ({@code tollgate.audit.session-config-path}), prepared
 * statements, and never blocks: every method returns at once.
 *
 * <p>With {@code tollgate.audit.create-schema = true} the keyspace and tables are created before
 * the first statement is prepared. If that (or preparing) fails, for example because Cassandra
 * is not up yet, the next call tries again.
 *
 * <p>Queries over a time range read one day partition after the other, newest first, and filter
 * in the node (key, model, team, status): a partition is one tenant's day, so a query never
 * scans other tenants' data.
 */
public final class AuditStore {
  private static final Logger log = LoggerFactory.getLogger(AuditStore.class);

  private static final List<String> COLUMN_LIST = List.of(
      "tenant_id", "day", "time", "request_id", "key_id", "client_api", "logical_model", "provider",
      "upstream_model", "input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "usage_estimated",
      "cost_micros", "latency_millis", "ttft_millis", "status", "error_type", "streamed", "team", "lease_id",
      "deployment", "region", "attempts", "cache", "cache_saved_micros");
  private static final String COLUMNS = String.join(", ", COLUMN_LIST);
  private static final String BODY_COLUMNS =
      "tenant_id, day, request_id, time, request_body, response_body, request_truncated, response_truncated";
  /** Rows fetched per round trip when a query streams a whole range. */
  private static final int STREAM_FETCH_SIZE = 1000;

  private final ActorSystem<?> system;
  private final CassandraSession session;
  private final AuditSettings settings;
  private final AtomicReference<CompletableFuture<Statements>> statements = new AtomicReference<>();
  private final String node;
  private GroupCommit<FinalWrite> finals;
  private GroupCommit<CallAdmission> admissions;

  private record Statements(
      PreparedStatement insert,
      PreparedStatement byDay,
      PreparedStatement byDayLimited,
      PreparedStatement byRequest,
      PreparedStatement byKey,
      PreparedStatement byDayRange,
      PreparedStatement insertBodies,
      PreparedStatement bodiesByRequest,
      PreparedStatement admitCall,
      PreparedStatement finishCall,
      PreparedStatement callsOfLease) {}

  private AuditStore(ActorSystem<?> system, AuditSettings settings) {
    this.system = system;
    this.settings = settings;
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
    this.node = system.address().toString();
  }

  /** The store on the Cassandra session of pekko-persistence-cassandra; starts schema creation and preparing. */
  public static AuditStore create(ActorSystem<?> system) {
    return create(system, AuditSettings.from(system.settings().config()));
  }

  static AuditStore create(ActorSystem<?> system, AuditSettings settings) {
    AuditStore store = new AuditStore(system, settings);
    store.admissions = GroupCommit.start(system, settings.admissionCommit(), store::admitGroup,
        a -> "admission row " + a.requestId());
    store.finals = GroupCommit.start(system, settings.groupCommit(), store::writeGroup,
        f -> "audit record " + f.record().requestId());
    store.statements();
    return store;
  }

  /** How long an answer may wait for its call to be made durable ({@code tollgate.audit.admission-timeout}). */
  public Duration admissionTimeout() {
    return settings.admissionTimeout();
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
    return retried(s -> session.executeWrite(bindInsert(s.insert(), r)), "audit record " + r.requestId());
  }

  /**
   * Writes the admission row of a call admitted from a budget lease ({@code calls_by_lease}). The
   * stage fails when the write fails or is not acknowledged within {@code tollgate.audit.admission-timeout}
   * (with a {@link java.util.concurrent.TimeoutException}); the caller then fails the call closed.
   */
  public CompletionStage<Done> admit(CallAdmission a) {
    return AdmissionFaults.before(a.tenantId())
        .thenCompose(d -> admissions.submit(a))
        .toCompletableFuture()
        .orTimeout(settings.admissionTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Writes a finished call's audit record and, when it was admitted from a lease, its row's final
   * columns in {@code calls_by_lease}, through the group commit ({@code tollgate.audit.group-commit}):
   * retried with backoff until written; the stage fails only when the record was given up on.
   */
  public CompletionStage<Done> writeFinal(AuditRecord r) {
    return writeFinal(r, false);
  }

  /**
   * {@link #writeFinal(AuditRecord)} for a call whose admission row may be known to be written
   * ({@link #admit} completed). Then the record alone is written: {@link #leaseSpend} finds it by
   * the admission row's key (the record's time is the admission's), so the row's final columns, a
   * third write per call, are not needed. Otherwise (no lease, or the row is not known to exist) as
   * {@link #writeFinal(AuditRecord)}.
   */
  public CompletionStage<Done> writeFinal(AuditRecord r, boolean admissionRowWritten) {
    return finals.submit(new FinalWrite(r, r.leaseId() != null && !admissionRowWritten));
  }

  /** A final record and whether its {@code calls_by_lease} row gets the final columns too. */
  private record FinalWrite(AuditRecord record, boolean leaseRow) {}

  /** Final records submitted and not yet written nor given up on. */
  public int finalWritesPending() {
    return finals.pending();
  }

  /**
   * What the calls of lease {@code leaseId} add up to, from that lease's partition of
   * {@code calls_by_lease}: the final cost and tokens of finished calls, the worst case reserved
   * for calls that never finished (counted in {@link LeaseTotals#estimatedCalls()}). A row without
   * final columns is looked up in the audit table by its key (tenant, day and time of admission,
   * request id; {@code tollgate.audit.writer.parallelism} reads at a time): a call whose record is
   * there finished. For each call without one the missing audit record is written first (status
   * 500, {@code node_lost}, usage estimated, cost the worst case) and the row marked finished, so a
   * call has exactly one audit record and a repeated read returns the same totals. For leases whose
   * node is gone only: a live node's calls in flight would be billed at their worst case.
   */
  public CompletionStage<LeaseTotals> leaseSpend(String tenantId, String leaseId) {
    return statements().thenCompose(s -> session.selectAll(statement(s.callsOfLease().bind(tenantId, leaseId)))
        .thenCompose(rows -> {
          LeaseTotals finished = LeaseTotals.NONE;
          List<CallAdmission> open = new ArrayList<>();
          for (Row row : rows) {
            if (LeaseCallsTable.finished(row)) {
              finished = finished.plus(LeaseCallsTable.finalTotals(row));
            } else {
              open.add(LeaseCallsTable.admission(tenantId, leaseId, row));
            }
          }
          LeaseTotals known = finished;
          return Source.from(open)
              .mapAsync(settings.writeParallelism(), a -> totalsOf(s, a))
              .runWith(Sink.fold(known, LeaseTotals::plus), system);
        }));
  }

  /** An admitted call's totals from its audit record; when there is none, it is written as lost. */
  private CompletionStage<LeaseTotals> totalsOf(Statements s, CallAdmission a) {
    return session.selectOne(statement(s.byKey().bind(a.tenantId(), AuditRecord.dayOf(a.time()), a.time(), a.requestId())))
        .thenCompose(row -> {
          if (row.isPresent()) {
            AuditRecord r = record(row.get());
            boolean lost = LeaseCallsTable.LOST_ERROR.equals(r.errorType());
            return CompletableFuture.completedFuture(
                new LeaseTotals(r.costMicros(), r.inputTokens() + r.outputTokens(), 1, lost ? 1 : 0));
          }
          AuditRecord lost = LeaseCallsTable.lost(a);
          return write(lost)
              .thenCompose(d -> retried(x -> session.executeWrite(
                  LeaseCallsTable.finishLost(x.finishCall(), lost, settings.consistency())), "lease row " + a.requestId()))
              .thenApply(d -> new LeaseTotals(a.worstUsdMicros(), a.worstTokens(), 1, 1));
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

  /**
   * A tenant's records in {@code range} that match {@code filter}, newest first, read lazily day by
   * day as the stream is pulled. With a cursor the stream starts right after it.
   */
  public Source<AuditRecord, NotUsed> records(String tenantId, AuditRange range, AuditFilter filter, AuditCursor after) {
    return records(tenantId, range, filter, after, STREAM_FETCH_SIZE);
  }

  /**
   * At most {@code limit} of a tenant's records in {@code range} that match {@code filter}, newest
   * first, starting right after {@code after} (null: from the newest). The page's cursor is null
   * when no matching record is left.
   */
  public CompletionStage<AuditPage> page(
      String tenantId, AuditRange range, AuditFilter filter, AuditCursor after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    // One record more than asked tells whether another page exists.
    int fetch = Math.min(STREAM_FETCH_SIZE, limit + 1);
    return records(tenantId, range, filter, after, fetch)
        .take(limit + 1L)
        .runWith(Sink.seq(), system)
        .thenApply(found -> found.size() <= limit
            ? new AuditPage(found, null)
            : new AuditPage(found.subList(0, limit), AuditCursor.after(found.get(limit - 1))));
  }

  /** Stores a call's (already redacted and cut) bodies, retried like {@link #write}. */
  public CompletionStage<Done> writeBodies(StoredBodies b) {
    return retried(s -> session.executeWrite(bindBodies(s.insertBodies(), b)), "audit bodies " + b.requestId());
  }

  /** A call's stored bodies, if its tenant had opted in when it ran. */
  public CompletionStage<Optional<StoredBodies>> bodies(String tenantId, LocalDate day, String requestId) {
    return statements()
        .thenCompose(s -> session.selectOne(statement(s.bodiesByRequest().bind(tenantId, day, requestId))))
        .thenApply(row -> row.map(AuditStore::bodies));
  }

  private Source<AuditRecord, NotUsed> records(
      String tenantId, AuditRange range, AuditFilter filter, AuditCursor after, int fetchSize) {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate day : range.daysNewestFirst()) {
      if (after == null || !day.isAfter(AuditRecord.dayOf(after.time()))) {
        days.add(day);
      }
    }
    return Source.from(days)
        .flatMapConcat(day -> dayRows(tenantId, range, after, day, fetchSize))
        .map(AuditStore::record)
        .filter(r -> after == null || after.precedes(r))
        .filter(filter::matches);
  }

  private Source<Row, NotUsed> dayRows(String tenantId, AuditRange range, AuditCursor after, LocalDate day, int fetchSize) {
    Instant lower = range.lowerWithin(day);
    Instant upper = range.upperWithin(day);
    if (after != null && after.time().plusMillis(1).isBefore(upper)) {
      // Rows at the cursor's own millisecond may still follow it (by request id); they are kept
      // here and the rest of that millisecond is dropped by the cursor filter.
      upper = after.time().plusMillis(1);
    }
    if (!lower.isBefore(upper)) {
      return Source.empty();
    }
    Instant from = lower;
    Instant to = upper;
    return Source.completionStageSource(statements().thenApply(s -> session.select(
            statement(s.byDayRange().bind(tenantId, day, from, to)).setPageSize(fetchSize))))
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /** One group of admission rows: one unlogged batch per lease (or a write per row). */
  private List<CompletionStage<Done>> admitGroup(List<CallAdmission> group) {
    CompletionStage<List<CompletableFuture<Done>>> started = statements().thenApply(s -> {
      Map<Partition, List<BatchableStatement<?>>> partitions = new LinkedHashMap<>();
      List<List<Partition>> rowPartitions = new ArrayList<>(group.size());
      boolean batch = settings.admissionCommit().mode() == GroupCommitSettings.Mode.BATCH;
      for (int i = 0; i < group.size(); i++) {
        CallAdmission a = group.get(i);
        Partition p = batch ? new Partition("lease", a.tenantId(), a.leaseId()) : new Partition("row", a.requestId(), i);
        partitions.computeIfAbsent(p, k -> new ArrayList<>())
            .add(LeaseCallsTable.admit(s.admitCall(), a, node, settings.consistency()));
        rowPartitions.add(List.of(p));
      }
      return written(partitions, rowPartitions);
    });
    return each(started, group.size());
  }

  /** One group of final records: see {@link GroupCommitSettings.Mode}. */
  private List<CompletionStage<Done>> writeGroup(List<FinalWrite> group) {
    CompletionStage<List<CompletableFuture<Done>>> started = statements().thenApply(s ->
        settings.groupCommit().mode() == GroupCommitSettings.Mode.BATCH ? batched(s, group) : concurrent(s, group));
    return each(started, group.size());
  }

  private static List<CompletionStage<Done>> each(CompletionStage<List<CompletableFuture<Done>>> started, int size) {
    List<CompletionStage<Done>> results = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int index = i;
      results.add(started.thenCompose(all -> all.get(index)));
    }
    return results;
  }

  private List<CompletableFuture<Done>> concurrent(Statements s, List<FinalWrite> group) {
    List<CompletableFuture<Done>> results = new ArrayList<>(group.size());
    for (FinalWrite f : group) {
      AuditRecord r = f.record();
      CompletableFuture<Done> audit = session.executeWrite(bindInsert(s.insert(), r)).toCompletableFuture();
      results.add(!f.leaseRow() ? audit : audit.thenCombine(
          session.executeWrite(LeaseCallsTable.finish(s.finishCall(), r, settings.consistency())), (a, b) -> a));
    }
    return results;
  }

  private record Partition(String table, String tenantId, Object key) {}

  private List<CompletableFuture<Done>> batched(Statements s, List<FinalWrite> group) {
    Map<Partition, List<BatchableStatement<?>>> partitions = new LinkedHashMap<>();
    List<List<Partition>> recordPartitions = new ArrayList<>(group.size());
    for (FinalWrite f : group) {
      AuditRecord r = f.record();
      Partition audit = new Partition("audit", r.tenantId(), r.day());
      partitions.computeIfAbsent(audit, p -> new ArrayList<>()).add(bindInsert(s.insert(), r));
      if (!f.leaseRow()) {
        recordPartitions.add(List.of(audit));
      } else {
        Partition lease = new Partition("lease", r.tenantId(), r.leaseId());
        partitions.computeIfAbsent(lease, p -> new ArrayList<>())
            .add(LeaseCallsTable.finish(s.finishCall(), r, settings.consistency()));
        recordPartitions.add(List.of(audit, lease));
      }
    }
    return written(partitions, recordPartitions);
  }

  /** Writes each partition's statements (one unlogged batch when several); one stage per row. */
  private List<CompletableFuture<Done>> written(
      Map<Partition, List<BatchableStatement<?>>> partitions, List<List<Partition>> recordPartitions) {
    Map<Partition, CompletableFuture<Done>> written = new HashMap<>();
    partitions.forEach((p, statements) -> written.put(p, session.executeWrite(statements.size() == 1
        ? statements.get(0)
        // One partition per batch: Cassandra applies it as one mutation, without the batch log.
        : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, statements)
            .setIdempotent(true).setConsistencyLevel(settings.consistency())).toCompletableFuture()));
    return recordPartitions.stream()
        .map(ps -> CompletableFuture.allOf(ps.stream().map(written::get).toArray(CompletableFuture[]::new))
            .thenApply(v -> Done.getInstance()))
        .toList();
  }

  private CompletionStage<Done> retried(
      java.util.function.Function<Statements, CompletionStage<Done>> write, String what) {
    int attempts = settings.writeAttempts();
    CompletionStage<Done> result = Patterns.retry(
        () -> statements().thenCompose(write),
        attempts - 1,
        settings.minBackoff(),
        settings.maxBackoff(),
        0.2,
        system);
    return result.whenComplete((done, failure) -> {
      if (failure != null) {
        log.error("{} lost after {} attempts: {}", what, attempts, describe(failure));
      }
    });
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
    String table = settings.keyspace() + ".audit_by_tenant_day";
    String bodies = settings.keyspace() + ".audit_bodies_by_tenant_day";
    String select = "SELECT " + COLUMNS + " FROM " + table + " WHERE tenant_id = ? AND day = ?";
    List<String> cql = List.of(
        "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (" + placeholders(COLUMN_LIST.size()) + ")",
        select,
        select + " LIMIT ?",
        // Filtering inside one partition only: request_id is not the first clustering column.
        select + " AND request_id = ? ALLOW FILTERING",
        select + " AND time = ? AND request_id = ?",
        select + " AND time >= ? AND time < ?",
        "INSERT INTO " + bodies + " (" + BODY_COLUMNS + ") VALUES (" + placeholders(8) + ")",
        "SELECT " + BODY_COLUMNS + " FROM " + bodies + " WHERE tenant_id = ? AND day = ? AND request_id = ?");
    List<String> all = new ArrayList<>(cql);
    all.addAll(LeaseCallsTable.cql(settings.keyspace()));
    return AuditTables.get(system).ensure(settings).thenCompose(d -> {
      List<CompletableFuture<PreparedStatement>> prepared =
          all.stream().map(q -> session.prepare(q).toCompletableFuture()).toList();
      return CompletableFuture.allOf(prepared.toArray(CompletableFuture[]::new)).thenApply(v -> {
        List<PreparedStatement> p = prepared.stream().map(CompletableFuture::join).toList();
        return new Statements(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5), p.get(6), p.get(7),
            p.get(8), p.get(9), p.get(10));
      });
    });
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
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
        .setBoolean("streamed", r.streamed())
        .setInt("attempts", r.attempts())
        .setLong("cache_saved_micros", r.cacheSavedMicros());
    // Null text columns stay unset rather than bound to null, which would write tombstones.
    b = setIfPresent(b, "key_id", r.keyId());
    b = setIfPresent(b, "client_api", r.clientApi());
    b = setIfPresent(b, "logical_model", r.logicalModel());
    b = setIfPresent(b, "provider", r.provider());
    b = setIfPresent(b, "upstream_model", r.upstreamModel());
    b = setIfPresent(b, "error_type", r.errorType());
    b = setIfPresent(b, "team", r.team());
    b = setIfPresent(b, "lease_id", r.leaseId());
    b = setIfPresent(b, "deployment", r.deployment());
    b = setIfPresent(b, "region", r.region());
    b = setIfPresent(b, "cache", r.cache());
    return b.setIdempotence(true).setConsistencyLevel(settings.consistency()).build();
  }

  private BoundStatement bindBodies(PreparedStatement insert, StoredBodies s) {
    BoundStatementBuilder b = insert.boundStatementBuilder()
        .setString("tenant_id", s.tenantId())
        .setLocalDate("day", AuditRecord.dayOf(s.time()))
        .setString("request_id", s.requestId())
        .setInstant("time", s.time())
        .setBoolean("request_truncated", s.requestTruncated())
        .setBoolean("response_truncated", s.responseTruncated());
    b = setIfPresent(b, "request_body", s.requestBody());
    b = setIfPresent(b, "response_body", s.responseBody());
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
        row.getBoolean("streamed"),
        row.getString("team"),
        row.getString("lease_id"),
        row.getString("deployment"),
        row.getString("region"),
        // A row written before attempts existed reads as 0 (the driver's value for a null int).
        row.getInt("attempts"),
        row.getString("cache"),
        row.getLong("cache_saved_micros"));
  }

  private static StoredBodies bodies(Row row) {
    return new StoredBodies(
        row.getString("tenant_id"),
        row.getString("request_id"),
        row.getInstant("time"),
        row.getString("request_body"),
        row.getString("response_body"),
        row.getBoolean("request_truncated"),
        row.getBoolean("response_truncated"));
  }

  private static String describe(Throwable failure) {
    Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
