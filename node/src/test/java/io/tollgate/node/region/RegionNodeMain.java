package io.tollgate.node.region;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.TollgateNode;
import io.tollgate.node.demo.DemoBanner;
import io.tollgate.node.http.RegionRoutes;
import io.tollgate.node.metrics.Telemetry;
import io.tollgate.persistence.cassandra.CassandraContactPoint;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;

/**
 * A node for the region tests: {@code io.tollgate.node.Main}'s start on an external Cassandra,
 * plus {@link RegionRoutes} on a port of its own ({@code tollgate.test.region-admin-port}), so the
 * tests do not depend on how the node's main routes are composed. Prints the same ready line.
 */
public final class RegionNodeMain {
  private RegionNodeMain() {}

  public static void main(String[] args) {
    Config base = ConfigFactory.load();
    String contactPoint = CassandraContactPoint.external(base)
        .orElseThrow(() -> new IllegalStateException("set TOLLGATE_CASSANDRA"));
    Config config = CassandraContactPoint.driverOverlay(contactPoint, CassandraContactPoint.localDatacenter(base))
        .withFallback(base);
    Telemetry.init(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tollgate", config);
    TollgateNode.start(system)
        .thenCompose(node -> Http.get(system)
            .newServerAt("127.0.0.1", config.getInt("tollgate.test.region-admin-port"))
            .bind(new RegionRoutes(system, config.getString("tollgate.admin-token")).routes())
            .thenApply(binding -> node))
        .whenComplete((node, failure) -> {
          if (failure != null) {
            system.log().error("the region test node failed to start: {}", failure.toString());
            system.terminate();
          } else {
            DemoBanner.printPlain(node);
          }
        });
    system.getWhenTerminated().toCompletableFuture().join();
    Telemetry.stop();
    System.exit(0);
  }
}
