package io.tollgate.persistence.schema;

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
 * entity starts, using the plugin's own statements. The plugin's lazy autocreate shares one
 * session between journal and snapshot store, so a recovery that reads snapshots first can find
 * no snapshot keyspace; creating both up front avoids that. Dev and test only
 * ({@code tollgate.cassandra.create-schema}); production applies the DDL beforehand.
 */
public final class PersistenceSchema {
  private static final String PLUGIN_PATH = "pekko.persistence.cassandra";

  private PersistenceSchema() {}

  public static CompletionStage<Done> ensure(ActorSystem<?> system) {
    var config = system.settings().config();
    if (config.hasPath("tollgate.cassandra.create-schema") && !config.getBoolean("tollgate.cassandra.create-schema")) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    var classic = Adapter.toClassic(system);
    KeyspaceAndTableStatements statements =
        new KeyspaceAndTableStatements(classic, PLUGIN_PATH, PluginSettings.apply(classic));
    List<String> ddl = new ArrayList<>();
    ddl.add(statements.createJournalKeyspaceStatement());
    ddl.addAll(statements.getCreateJournalTablesStatements());
    ddl.add(statements.createSnapshotKeyspaceStatement());
    ddl.addAll(statements.getCreateSnapshotTablesStatements());
    var session = CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create(PLUGIN_PATH));
    CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
    for (String statement : ddl) {
      done = done.thenCompose(d -> session.executeDDL(statement));
    }
    return done;
  }
}
