package io.tollgate.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.node.demo.DemoBanner;
import io.tollgate.node.demo.DemoSetup;
import io.tollgate.node.metrics.Telemetry;
import io.tollgate.persistence.cassandra.CassandraContactPoint;
import io.tollgate.persistence.cassandra.CassandraLauncher;
import io.tollgate.persistence.cassandra.EmbeddedCassandra;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts one node: uses the external Cassandra when {@code TOLLGATE_CASSANDRA} is set, otherwise
 * launches an embedded one, starts the metrics ({@link Telemetry}), then boots {@link TollgateNode}.
 *
 * <p>Stopping keeps an order: SIGTERM or SIGINT runs the coordinated shutdown (the HTTP binding
 * drains, in-flight calls finish and write their audit records), and only once the actor system
 * has terminated is the embedded Cassandra stopped. The JVM's shutdown hooks alone would stop
 * Cassandra at the same moment as the drain starts, losing the last calls' records. The process
 * exits with 0 after a signal, 1 when the node could not start.
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Config base = ConfigFactory.load();
    Optional<String> external = CassandraContactPoint.external(base);
    EmbeddedCassandra embedded = external.isPresent()
        ? null
        : CassandraLauncher.start(CassandraLauncher.Options.fromConfig(base));
    // A lambda, not embedded::contactPoint: a method reference evaluates its receiver at once (NPE with an external Cassandra).
    String contactPoint = external.orElseGet(() -> embedded.contactPoint());
    Config config = CassandraContactPoint.driverOverlay(contactPoint, CassandraContactPoint.localDatacenter(base))
        .withFallback(base);
    Telemetry.init(config); // before the actor system, so that the instrumentation sees Pekko load
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tollgate", config);
    AtomicBoolean stopRequested = new AtomicBoolean();
    stopOnSignals(system, stopRequested, "TERM", "INT");

    AtomicBoolean failed = new AtomicBoolean();
    boolean demo = config.getBoolean("tollgate.demo.enabled");
    TollgateNode.start(system)
        .thenCompose(node -> demo
            ? DemoSetup.ensure(node, config.getString("tollgate.demo.key")).thenApply(key -> DemoBanner.print(node, key, config))
            : CompletableFuture.completedFuture(DemoBanner.printPlain(node)))
        .whenComplete((ok, failure) -> {
          if (failure != null && !stopRequested.get()) {
            failed.set(true);
            system.log().error("Tollgate failed to start: {}", failure.toString());
            system.terminate();
          }
        });

    // The main thread is no dispatcher thread: it may wait for the end, then stop what it started.
    system.getWhenTerminated().toCompletableFuture().join();
    Telemetry.stop();
    if (embedded != null) {
      embedded.stop();
    }
    System.exit(failed.get() ? 1 : 0);
  }

  /**
   * Replaces the JVM's default handling of these signals (run the shutdown hooks, all at once)
   * with the coordinated shutdown. A signal the parent process ignores (SIGINT for a background
   * job of a script) stays ignored.
   */
  private static void stopOnSignals(ActorSystem<?> system, AtomicBoolean stopRequested, String... names) {
    for (String name : names) {
      try {
        Signal.handle(new Signal(name), signal -> {
          log.info("SIG{} received, stopping", name);
          stopRequested.set(true);
          CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.jvmExitReason());
        });
      } catch (IllegalArgumentException unavailable) {
        // This JVM (or its platform) does not let us handle the signal: its default stays.
        log.debug("cannot handle SIG{}: {}", name, unavailable.getMessage());
      }
    }
  }
}
