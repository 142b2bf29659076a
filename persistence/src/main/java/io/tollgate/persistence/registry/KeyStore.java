package io.tollgate.persistence.registry;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.audit.AuditTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The API keys in Cassandra ({@code ddl/tollgate.cql}: {@code api_keys_by_hash},
 * {@code api_keys_by_tenant}, {@code api_key_ids}, {@code api_key_changes}), the truth every node's
 * {@link KeyDirectory} reads through and the admin API lists from.
 *
 * <p>A key only ever moves from active to revoked. Writes that create a key never name
 * {@code revoked_at}, so a repeated or late creation write cannot un-revoke it.
 */
public final class KeyStore {
  private static final String KEY_COLUMNS = "key_id, key_hash, name, allowed_models, team, created_at, revoked_at";
  private static final int BY_HASH = 0;
  private static final int BY_ID = 1;
  private static final int FIRST_PAGE = 2;
  private static final int NEXT_PAGE = 3;
  private static final int INSERT_BY_HASH = 4;
  private static final int INSERT_BY_TENANT = 5;
  private static final int INSERT_ID = 6;
  private static final int REVOKE_BY_HASH = 7;
  private static final int REVOKE_BY_TENANT = 8;
  private static final int LOG_CHANGE = 9;
  private static final int CHANGES = 10;
  private static final int INSERT_BY_HASH_IF_ABSENT = 11;
  /** Parallel writes of a bulk import. */
  private static final int IMPORT_PARALLELISM = 32;
  /** Rows of one tenant's listing partition per unlogged batch (stays under Cassandra's 5 KiB warning). */
  private static final int ROWS_PER_BATCH = 20;
  /** By-hash rows (one partition each) per unlogged batch: Cassandra warns above 10 partitions. */
  private static final int HASH_ROWS_PER_BATCH = 10;

  private final ActorSystem<?> system;
  private final AuditSettings settings;
  private final CassandraSession session;
  private final List<String> cql;
  private final AtomicReference<CompletableFuture<List<PreparedStatement>>> prepared = new AtomicReference<>();

  private KeyStore(ActorSystem<?> system, AuditSettings settings) {
    this.system = system;
    this.settings = settings;
    this.session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
    String ks = settings.keyspace();
    String insertByHash = "INSERT INTO " + ks + ".api_keys_by_hash"
        + " (key_hash, tenant_id, key_id, name, allowed_models, team, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    this.cql = List.of(
        "SELECT tenant_id, " + KEY_COLUMNS + " FROM " + ks + ".api_keys_by_hash WHERE key_hash = ?",
        "SELECT key_hash FROM " + ks + ".api_key_ids WHERE tenant_id = ? AND key_id = ?",
        "SELECT tenant_id, " + KEY_COLUMNS + " FROM " + ks + ".api_keys_by_tenant WHERE tenant_id = ? LIMIT ?",
        "SELECT tenant_id, " + KEY_COLUMNS + " FROM " + ks + ".api_keys_by_tenant WHERE tenant_id = ?"
            + " AND (created_at, key_id) > (?, ?) LIMIT ?",
        insertByHash,
        "INSERT INTO " + ks + ".api_keys_by_tenant"
            + " (tenant_id, created_at, key_id, key_hash, name, allowed_models, team) VALUES (?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO " + ks + ".api_key_ids (tenant_id, key_id, key_hash, created_at) VALUES (?, ?, ?, ?)",
        "UPDATE " + ks + ".api_keys_by_hash SET revoked_at = ? WHERE key_hash = ?",
        "UPDATE " + ks + ".api_keys_by_tenant SET revoked_at = ? WHERE tenant_id = ? AND created_at = ? AND key_id = ?",
        "INSERT INTO " + ks + ".api_key_changes (minute, changed_at, key_hash, tenant_id, key_id, revoked)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        "SELECT changed_at, key_hash, tenant_id, key_id, revoked FROM " + ks + ".api_key_changes"
            + " WHERE minute = ? AND changed_at > ?",
        insertByHash + " IF NOT EXISTS");
  }

  /** The store on the audit's Cassandra session and keyspace; starts preparing at once. */
  public static KeyStore create(ActorSystem<?> system) {
    KeyStore store = new KeyStore(system, AuditSettings.from(system.settings().config()));
    store.ready();
    return store;
  }

  /** Completes when the tables exist and the statements are prepared; a failure is tried again by the next call. */
  public CompletionStage<Done> ready() {
    return statements().thenApply(s -> Done.getInstance());
  }

  /** The key whose secret hashes to {@code keyHash}, active or revoked. */
  public CompletionStage<Optional<KeyInfo>> byHash(String keyHash) {
    return statement(BY_HASH)
        .thenCompose(p -> session.selectOne(consistent(p.bind(keyHash))))
        .thenApply(row -> row.map(KeyStore::key));
  }

  /** The key {@code keyId} of {@code tenantId}. */
  public CompletionStage<Optional<KeyInfo>> byId(String tenantId, String keyId) {
    return statement(BY_ID)
        .thenCompose(p -> session.selectOne(consistent(p.bind(tenantId, keyId))))
        .thenCompose(row -> row.isEmpty() ? CompletableFuture.completedFuture(Optional.<KeyInfo>empty())
            : byHash(row.get().getString("key_hash")).thenApply(k -> k.filter(key -> key.tenantId().equals(tenantId))));
  }

  /** Up to {@code limit} keys of the tenant, oldest first, after {@code after} (null for the first page). */
  public CompletionStage<KeyPage> page(String tenantId, KeyPage.Cursor after, int limit) {
    int fetch = limit + 1;
    CompletionStage<List<Row>> rows = after == null
        ? statement(FIRST_PAGE).thenCompose(p -> session.selectAll(consistent(p.bind(tenantId, fetch))))
        : statement(NEXT_PAGE).thenCompose(p -> session.selectAll(
            consistent(p.bind(tenantId, after.createdAt(), after.keyId(), fetch))));
    return rows.thenApply(all -> {
      List<KeyInfo> keys = all.stream().limit(limit).map(KeyStore::key).toList();
      KeyPage.Cursor next = all.size() > limit ? KeyPage.Cursor.after(keys.get(keys.size() - 1)) : null;
      return new KeyPage(keys, next);
    });
  }

  /** Writes a new key (with generated secret) and its change, atomically (a logged batch). */
  public CompletionStage<Done> insert(KeyInfo key, Instant changedAt) {
    return statements().thenCompose(p -> execute(BatchStatement.newInstance(BatchType.LOGGED,
        insertByHash(p, key), insertByTenant(p, key), insertId(p, key), logChange(p, key, changedAt))));
  }

  /**
   * Writes a key whose secret the caller chose, unless a key with that secret exists: then that
   * key is the answer (and its listing rows are written again, in case an earlier attempt stopped
   * half-way).
   */
  public CompletionStage<KeyInfo> insertIfAbsent(KeyInfo key, Instant changedAt) {
    return statement(INSERT_BY_HASH_IF_ABSENT)
        .thenCompose(p -> session.underlying().thenCompose(s -> s.executeAsync(consistent(bindByHash(p, key)))))
        .thenCompose(result -> {
          if (result.wasApplied()) {
            return statements().thenCompose(p -> execute(BatchStatement.newInstance(BatchType.LOGGED,
                insertByTenant(p, key), insertId(p, key), logChange(p, key, changedAt)))).thenApply(d -> key);
          }
          Row row = result.one();
          KeyInfo existing = key(row);
          if (!existing.tenantId().equals(key.tenantId())) {
            return CompletableFuture.completedFuture(existing);
          }
          return statements().thenCompose(p -> execute(BatchStatement.newInstance(BatchType.LOGGED,
              insertByTenant(p, existing), insertId(p, existing)))).thenApply(d -> existing);
        });
  }

  /** Marks the key revoked at {@code at} in every table and logs the change. */
  public CompletionStage<Done> revoke(KeyInfo key, Instant at) {
    KeyInfo revoked = key.revoke(at);
    return statements().thenCompose(p -> execute(BatchStatement.newInstance(BatchType.LOGGED,
        p.get(REVOKE_BY_HASH).bind(at, key.keyHash()),
        p.get(REVOKE_BY_TENANT).bind(at, key.tenantId(), key.createdAt(), key.keyId()),
        logChange(p, revoked, at))));
  }

  /**
   * Writes many keys without logging changes (no node can have seen their secrets yet): the bulk
   * path for imports and large tests. Rows go in small unlogged batches (listing rows of one tenant
   * share a partition); a failed import may have written part of the keys.
   */
  public CompletionStage<Done> importKeys(List<KeyInfo> keys) {
    Materializer materializer = Materializer.matFromSystem(system);
    return statements().thenCompose(p -> {
      List<Statement<?>> writes = new ArrayList<>();
      // Small unlogged batches of by-hash rows: one round trip per batch, under Cassandra's batch warnings.
      for (int from = 0; from < keys.size(); from += HASH_ROWS_PER_BATCH) {
        List<BoundStatement> rows = new ArrayList<>();
        keys.subList(from, Math.min(keys.size(), from + HASH_ROWS_PER_BATCH)).forEach(k -> rows.add(insertByHash(p, k)));
        writes.add(BatchStatement.newInstance(BatchType.UNLOGGED).addAll(rows));
      }
      List<List<KeyInfo>> chunks = sameTenantChunks(keys, ROWS_PER_BATCH);
      for (List<KeyInfo> chunk : chunks) {
        List<BoundStatement> listing = new ArrayList<>();
        for (KeyInfo k : chunk) {
          listing.add(insertByTenant(p, k));
        }
        writes.add(BatchStatement.newInstance(BatchType.UNLOGGED).addAll(listing));
        List<BoundStatement> ids = new ArrayList<>();
        for (KeyInfo k : chunk) {
          ids.add(insertId(p, k));
        }
        writes.add(BatchStatement.newInstance(BatchType.UNLOGGED).addAll(ids));
      }
      return Source.from(writes)
          .mapAsyncUnordered(IMPORT_PARALLELISM, this::execute)
          .runWith(Sink.ignore(), materializer);
    });
  }

  /**
   * Copies keys of the registry's old journal into the tables. Safe to repeat: creation writes never
   * name {@code revoked_at}, so a copy cannot un-revoke a key revoked since.
   */
  public CompletionStage<Done> importLegacy(List<KeyInfo> keys) {
    Materializer materializer = Materializer.matFromSystem(system);
    return statements().thenCompose(p -> Source.from(keys)
        .mapAsyncUnordered(IMPORT_PARALLELISM, k -> {
          BatchStatement batch = BatchStatement.newInstance(BatchType.LOGGED,
              insertByHash(p, k), insertByTenant(p, k), insertId(p, k));
          if (k.revoked()) {
            batch = batch.addAll(p.get(REVOKE_BY_HASH).bind(k.revokedAt(), k.keyHash()),
                p.get(REVOKE_BY_TENANT).bind(k.revokedAt(), k.tenantId(), k.createdAt(), k.keyId()));
          }
          return execute(batch);
        })
        .runWith(Sink.ignore(), materializer));
  }

  /** The changes logged in {@code minute} (epoch minutes of the writer's clock) after {@code after}. */
  public CompletionStage<List<KeyChange>> changes(long minute, Instant after) {
    return statement(CHANGES)
        .thenCompose(p -> session.selectAll(consistent(p.bind(minute, after))))
        .thenApply(rows -> rows.stream().map(r -> new KeyChange(r.getString("key_hash"), r.getString("tenant_id"),
            r.getString("key_id"), r.getBoolean("revoked"), r.getInstant("changed_at"))).toList());
  }

  /** Epoch minute of an instant: the partition of the change log it is written to. */
  static long minuteOf(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 60);
  }

  private static List<List<KeyInfo>> sameTenantChunks(List<KeyInfo> keys, int size) {
    List<List<KeyInfo>> chunks = new ArrayList<>();
    List<KeyInfo> current = new ArrayList<>();
    for (KeyInfo k : keys) {
      if (!current.isEmpty() && (current.size() == size || !current.get(0).tenantId().equals(k.tenantId()))) {
        chunks.add(current);
        current = new ArrayList<>();
      }
      current.add(k);
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }

  private BoundStatement insertByHash(List<PreparedStatement> p, KeyInfo k) {
    return consistent(bindByHash(p.get(INSERT_BY_HASH), k));
  }

  private static BoundStatement bindByHash(PreparedStatement p, KeyInfo k) {
    return p.bind(k.keyHash(), k.tenantId(), k.keyId(), k.name(), k.allowedModels(), k.team(), k.createdAt());
  }

  private BoundStatement insertByTenant(List<PreparedStatement> p, KeyInfo k) {
    return consistent(p.get(INSERT_BY_TENANT).bind(k.tenantId(), k.createdAt(), k.keyId(), k.keyHash(), k.name(),
        k.allowedModels(), k.team()));
  }

  private BoundStatement insertId(List<PreparedStatement> p, KeyInfo k) {
    return consistent(p.get(INSERT_ID).bind(k.tenantId(), k.keyId(), k.keyHash(), k.createdAt()));
  }

  private BoundStatement logChange(List<PreparedStatement> p, KeyInfo k, Instant at) {
    return consistent(p.get(LOG_CHANGE).bind(minuteOf(at), at, k.keyHash(), k.tenantId(), k.keyId(), k.revoked()));
  }

  private CompletionStage<Done> execute(Statement<?> statement) {
    return session.underlying()
        .thenCompose(s -> s.executeAsync(statement.setConsistencyLevel(settings.consistency())))
        .thenApply(r -> Done.getInstance());
  }

  private <S extends Statement<S>> S consistent(S s) {
    return s.setConsistencyLevel(settings.consistency());
  }

  private static KeyInfo key(Row row) {
    Instant revokedAt = row.getInstant("revoked_at");
    return new KeyInfo(row.getString("key_id"), row.getString("tenant_id"), row.getString("name"),
        row.getString("key_hash"), row.getList("allowed_models", String.class), revokedAt != null,
        row.getInstant("created_at"), revokedAt, row.getString("team"));
  }

  private CompletionStage<PreparedStatement> statement(int index) {
    return statements().thenApply(p -> p.get(index));
  }

  private CompletionStage<List<PreparedStatement>> statements() {
    while (true) {
      CompletableFuture<List<PreparedStatement>> current = prepared.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
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
        return next;
      }
    }
  }
}
