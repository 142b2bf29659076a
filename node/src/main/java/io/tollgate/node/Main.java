package io.tollgate.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.demo.DemoBanner;
import io.tollgate.node.demo.DemoSetup;
import io.tollgate.persistence.cassandra.CassandraContactPoint;
import io.tollgate.persistence.cassandra.CassandraLauncher;
import io.tollgate.persistence.cassandra.EmbeddedCassandra;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Starts one node: uses the external Cassandra when {@code TOLLGATE_CASSANDRA} is set, otherwise
 * launches an embedded one (stopped again when the node stops), then boots {@link TollgateNode}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Config base = ConfigFactory.load();
    Optional<String> external = CassandraContactPoint.external(base);
    EmbeddedCassandra embedded = external.isPresent()
        ? null
        : CassandraLauncher.start(CassandraLauncher.Options.fromConfig(base));
    String contactPoint = external.orElseGet(embedded::contactPoint);
    Config config = CassandraContactPoint.driverOverlay(contactPoint, CassandraContactPoint.localDatacenter(base))
        .withFallback(base);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tollgate", config);
    if (embedded != null) {
      system.getWhenTerminated().thenRun(embedded::stop);
    }
    boolean demo = config.getBoolean("tollgate.demo.enabled");
    TollgateNode.start(system)
        .thenCompose(node -> demo
            ? DemoSetup.ensure(system, config.getString("tollgate.demo.key")).thenApply(key -> DemoBanner.print(node, key, config))
            : java.util.concurrent.CompletableFuture.completedFuture(DemoBanner.printPlain(node)))
        .whenComplete((ok, failure) -> {
          if (failure != null) {
            system.log().error("Tollgate failed to start: {}", failure.toString());
            system.terminate();
          }
        });
  }
}
