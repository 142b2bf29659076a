package io.tollgate.persistence.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.cassandra.CassandraContactPoint;
import io.tollgate.persistence.cassandra.CassandraLauncher;
import io.tollgate.persistence.cassandra.EmbeddedCassandra;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One Cassandra per test JVM, shared by every test that needs one.
 *
 * <p>{@link #contactPoint()} returns {@code TOLLGATE_CASSANDRA} when that is set; otherwise the
 * first call starts an embedded Cassandra (256m heap, free ports, data in
 * {@code target/test-cassandra-<pid>}) that is stopped and deleted when the JVM exits.
 *
 * <p>{@link #config(String)} builds a complete ActorSystem config, highest priority first:
 * <ol>
 *   <li>the test's own HOCON overrides,
 *   <li>the driver contact point of this Cassandra,
 *   <li>{@code application-test.conf} (cluster on 127.0.0.1 port 0, Cassandra journal and snapshot
 *       store in keyspaces {@code tollgate_test_journal}/{@code tollgate_test_snapshot}, CBOR binding),
 *   <li>{@code reference.conf} of every library.
 * </ol>
 * Use it as {@code ActorTestKit.create("MyTest", TestCassandra.config(""))}. Tests share the
 * keyspaces, so give every entity a fresh persistence id. A node config built from
 * {@code application.conf} instead takes {@link #driverOverlay()} as its fallback.
 */
public final class TestCassandra {

  private static String contactPoint;
  private static RuntimeException startFailure;

  private TestCassandra() {}

  /** host:port of the test Cassandra, starting it on first use (takes 10–30 s). */
  public static synchronized String contactPoint() {
    if (startFailure != null) {
      // One failed start per JVM is enough: later tests fail fast with the same cause.
      throw startFailure;
    }
    if (contactPoint == null) {
      try {
        Optional<String> external = CassandraContactPoint.external(ConfigFactory.empty());
        contactPoint = external.orElseGet(TestCassandra::startEmbedded);
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
    }
    return contactPoint;
  }

  /** A full test config for an ActorSystem on the test Cassandra; {@code overridesHocon} may be empty. */
  public static Config config(String overridesHocon) {
    Config layered = ConfigFactory.parseString(overridesHocon)
        .withFallback(CassandraContactPoint.driverOverlay(contactPoint()))
        .withFallback(ConfigFactory.parseResources("application-test.conf"));
    return ConfigFactory.load(layered);
  }

  /**
   * The driver settings of a node config built from {@code application.conf} on the test Cassandra:
   * its contact point and the driver settings every test system gets ({@code test-cassandra-driver.conf}).
   * Use it as the fallback of the test's own settings.
   */
  public static Config driverOverlay() {
    return CassandraContactPoint.driverOverlay(contactPoint())
        .withFallback(ConfigFactory.parseResources("test-cassandra-driver.conf"));
  }

  private static String startEmbedded() {
    Path dataDir = Path.of("target", "test-cassandra-" + ProcessHandle.current().pid()).toAbsolutePath();
    EmbeddedCassandra cassandra = CassandraLauncher.start(CassandraLauncher.Options.of(dataDir));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cassandra.stop();
      deleteRecursively(dataDir);
    }, "test-cassandra-cleanup"));
    return cassandra.contactPoint();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // Only disk space under target/ is lost; the next `mvn clean` removes it.
    }
  }
}
