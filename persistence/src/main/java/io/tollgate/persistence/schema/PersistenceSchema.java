package io.tollgate.persistence.schema;

import io.tollgate.persistence.region.ReplicationClause;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Creates the journal and snapshot keyspaces and tables of pekko-persistence-cassandra before any
 * entity starts, using the plugin's own table statements, and Tollgate's own keyspace. The
 * plugin's lazy autocreate shares one session between journal and snapshot store, so a recovery
 * that reads snapshots first can find no snapshot keyspace; creating both up front avoids that.
 * Every keyspace gets the replication of {@link ReplicationClause} (NetworkTopologyStrategy when
 * the cluster has several regions). Dev and test only ({@code tollgate.cassandra.create-schema});
 * production applies the DDL beforehand.
 */
public final class PersistenceSchema {
  private static final String PLUGIN_PATH = "pekko.persistence.cassandra";

  private PersistenceSchema() {}

  /** Completes when every keyspace and table exists; fails (never throws) on a bad configuration too. */
  public static CompletionStage<Done> ensure(ActorSystem<?> system) {
    try {
      return create(system);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CompletionStage<Done> create(ActorSystem<?> system) {
    var config = system.settings().config();
    if (config.hasPath("tollgate.cassandra.create-schema") && !config.getBoolean("tollgate.cassandra.create-schema")) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    var classic = Adapter.toClassic(system);
    KeyspaceAndTableStatements statements =
        new KeyspaceAndTableStatements(classic, PLUGIN_PATH, PluginSettings.apply(classic));
    String replication = ReplicationClause.from(config);
    List<String> ddl = new ArrayList<>();
    ddl.add(ReplicationClause.createKeyspace(config.getString(PLUGIN_PATH + ".journal.keyspace"), replication));
    ddl.addAll(statements.getCreateJournalTablesStatements());
    ddl.add(ReplicationClause.createKeyspace(config.getString(PLUGIN_PATH + ".snapshot.keyspace"), replication));
    ddl.addAll(statements.getCreateSnapshotTablesStatements());
    if (!config.hasPath("tollgate.audit.create-schema") || config.getBoolean("tollgate.audit.create-schema")) {
      // Tollgate's own keyspace too, before any store creates it with its tables.
      String keyspace = config.hasPath("tollgate.cassandra.keyspace") ? config.getString("tollgate.cassandra.keyspace")
          : "tollgate";
      ddl.add(ReplicationClause.createKeyspace(keyspace, replication));
    }
    var session = CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create(PLUGIN_PATH));
    CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
    for (String statement : ddl) {
      done = done.thenCompose(d -> session.executeDDL(statement));
    }
    return done;
  }
}
