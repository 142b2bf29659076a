package io.tollgate.persistence.cache;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.tollgate.persistence.audit.AuditSettings;
import io.tollgate.persistence.audit.AuditTables;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Table {@code cache_entries} (see {@code ddl/tollgate.cql}): stored answers per tenant and
 * partition, with a TTL per row. Read and written at LOCAL_ONE: a lost or stale cache row costs a
 * provider call, never a wrong answer (the key is the whole request).
 */
public class CacheStore {
  private static final String INSERT = "INSERT INTO ${keyspace}.cache_entries"
      + " (tenant_id, partition, key_hash, answer, stored_at, saved_cost_micros) VALUES (?, ?, ?, ?, ?, ?) USING TTL ?";
  private static final String SELECT = "SELECT answer, stored_at, saved_cost_micros, TTL(answer) AS ttl FROM ${keyspace}.cache_entries"
      + " WHERE tenant_id = ? AND partition = ? AND key_hash = ?";

  private final ActorSystem<?> system;
  private final AuditSettings settings;
  private final CassandraSession session;
  private final AtomicReference<CompletableFuture<List<PreparedStatement>>> prepared = new AtomicReference<>();

  protected CacheStore(ActorSystem<?> system) {
    this.system = system;
    this.settings = system == null ? null : AuditSettings.from(system.settings().config());
    this.session = system == null ? null : CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
  }

  public static CacheStore create(ActorSystem<?> system) {
    return new CacheStore(system);
  }

  /** The stored answer, if there is one that has not expired. */
  public CompletionStage<Optional<CachedAnswer>> read(String tenantId, String partition, String keyHash) {
    return statements().thenCompose(p -> session.selectOne(local(p.get(1).bind(tenantId, partition, keyHash))))
        .thenApply(row -> row.map(r -> {
          ByteBuffer b = r.getByteBuffer("answer");
          byte[] bytes = new byte[b == null ? 0 : b.remaining()];
          if (b != null) {
            b.duplicate().get(bytes);
          }
          Instant at = r.getInstant("stored_at");
          long expiresAt = System.currentTimeMillis() + Math.max(0, r.getInt("ttl")) * 1000L;
          return new CachedAnswer(bytes, at == null ? 0 : at.toEpochMilli(), expiresAt, r.getLong("saved_cost_micros"));
        }));
  }

  /** Writes the answer to expire at its {@code expiresAtMillis}. */
  public CompletionStage<Done> write(String tenantId, String partition, String keyHash, CachedAnswer answer) {
    int ttlSeconds = (int) Math.max(1, (answer.expiresAtMillis() - System.currentTimeMillis()) / 1000);
    return statements().thenCompose(p -> session.executeWrite(local(p.get(0).bind(tenantId, partition, keyHash,
        ByteBuffer.wrap(answer.answer()), Instant.ofEpochMilli(answer.storedAtMillis()), answer.savedCostMicros(),
        ttlSeconds))));
  }

  private static BoundStatement local(BoundStatement s) {
    return s.setConsistencyLevel(DefaultConsistencyLevel.LOCAL_ONE);
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
          var insert = session.prepare(INSERT.replace("${keyspace}", settings.keyspace())).toCompletableFuture();
          var select = session.prepare(SELECT.replace("${keyspace}", settings.keyspace())).toCompletableFuture();
          return insert.thenCombine(select, List::of);
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
