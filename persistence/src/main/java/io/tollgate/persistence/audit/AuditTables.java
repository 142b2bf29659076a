package io.tollgate.persistence.audit;

import io.tollgate.persistence.region.ReplicationClause;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Creates Tollgate's own keyspace and tables ({@code ddl/tollgate.cql}: audit, bodies, tenant admin
 * tokens, tenant settings) once per actor system and keyspace, when {@code tollgate.audit.create-schema}
 * is on. Every store that uses these tables waits on {@link #ensure}; concurrent callers share one
 * run, and a failed run (Cassandra not up yet) is tried again by the next caller.
 */
public final class AuditTables implements Extension {
  private final ActorSystem<?> system;
  private final ConcurrentHashMap<String, CompletableFuture<Done>> created = new ConcurrentHashMap<>();

  private AuditTables(ActorSystem<?> system) {
    this.system = system;
  }

  /** The one instance of this actor system. */
  public static AuditTables get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Completes when the tables of {@code settings.keyspace()} exist (at once when schema creation is off). */
  public CompletionStage<Done> ensure(AuditSettings settings) {
    if (!settings.createSchema()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    String key = settings.sessionConfigPath() + "/" + settings.keyspace();
    return created.compute(key, (k, current) ->
        current == null || current.isCompletedExceptionally() ? create(settings) : current);
  }

  private CompletableFuture<Done> create(AuditSettings settings) {
    CassandraSession session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create(settings.sessionConfigPath()));
    CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
    // One statement at a time: concurrent schema changes disagree easily on a small cluster.
    String replication = ReplicationClause.from(system.settings().config());
    for (String ddl : AuditSchema.statements(settings.keyspace(), replication)) {
      done = done.thenCompose(d -> session.executeDDL(ddl));
    }
    return done.toCompletableFuture();
  }

  /** The extension id. */
  public static final class Id extends ExtensionId<AuditTables> {
    static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public AuditTables createExtension(ActorSystem<?> system) {
      return new AuditTables(system);
    }
  }
}
