package io.tollgate.persistence.cassandra;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Optional;

/**
 * Which Cassandra a node talks to. An external one is named by the environment variable
 * {@code TOLLGATE_CASSANDRA=host:port} or the config path {@code tollgate.cassandra.contact-point};
 * when neither is set the node starts an embedded one ({@link CassandraLauncher}). Either way the
 * driver settings come from {@link #driverOverlay(String, String)}, applied over the node's config
 * before the ActorSystem is created.
 */
public final class CassandraContactPoint {

  public static final String ENV = "TOLLGATE_CASSANDRA";
  public static final String CONFIG_PATH = "tollgate.cassandra.contact-point";
  public static final String DATACENTER_PATH = "tollgate.cassandra.local-datacenter";
  public static final String DEFAULT_DATACENTER = CqlProbe.LOCAL_DATACENTER;

  private CassandraContactPoint() {}

  /** The external contact point, if one is configured: the env variable wins over the config path. */
  public static Optional<String> external(Config config) {
    return external(System.getenv(ENV), config);
  }

  static Optional<String> external(String envValue, Config config) {
    if (envValue != null && !envValue.isBlank()) {
      return Optional.of(validated(envValue.trim()));
    }
    if (config.hasPath(CONFIG_PATH)) {
      String value = config.getString(CONFIG_PATH).trim();
      if (!value.isEmpty()) {
        return Optional.of(validated(value));
      }
    }
    return Optional.empty();
  }

  /** {@code tollgate.cassandra.local-datacenter}, or {@code datacenter1} (what the embedded one uses). */
  public static String localDatacenter(Config config) {
    return config.hasPath(DATACENTER_PATH) ? config.getString(DATACENTER_PATH) : DEFAULT_DATACENTER;
  }

  /**
   * Config that points the Cassandra java driver (and so pekko-persistence-cassandra) at one
   * contact point: {@code datastax-java-driver.basic.contact-points = [cp]} and
   * {@code basic.load-balancing-policy.local-datacenter}. Use it as the first layer:
   * {@code driverOverlay(cp, dc).withFallback(config)}.
   */
  public static Config driverOverlay(String contactPoint, String localDatacenter) {
    return ConfigFactory.empty()
        .withValue("datastax-java-driver.basic.contact-points",
            ConfigValueFactory.fromIterable(List.of(validated(contactPoint))))
        .withValue("datastax-java-driver.basic.load-balancing-policy.local-datacenter",
            ConfigValueFactory.fromAnyRef(localDatacenter));
  }

  /** {@link #driverOverlay(String, String)} with data center {@code datacenter1}. */
  public static Config driverOverlay(String contactPoint) {
    return driverOverlay(contactPoint, DEFAULT_DATACENTER);
  }

  /** Checks the {@code host:port} form; the port follows the last colon ({@code [::1]:9042} works). */
  static String validated(String contactPoint) {
    int colon = contactPoint.lastIndexOf(':');
    if (colon <= 0 || colon == contactPoint.length() - 1) {
      throw new IllegalArgumentException("Cassandra contact point must be host:port, got '" + contactPoint + "'");
    }
    try {
      int port = Integer.parseInt(contactPoint.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("Cassandra contact point port out of range in '" + contactPoint + "'");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Cassandra contact point must be host:port, got '" + contactPoint + "'", e);
    }
    return contactPoint;
  }
}
