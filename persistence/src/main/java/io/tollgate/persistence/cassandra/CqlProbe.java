package io.tollgate.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Waits until a starting Cassandra accepts connections on its CQL port and answers a query. */
final class CqlProbe {

  static final String LOCAL_DATACENTER = "datacenter1";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final long PAUSE_MILLIS = 500;

  private CqlProbe() {}

  /** Returns Cassandra's release version once it answers; throws with the end of its log otherwise. */
  static String awaitReady(Process process, CassandraLauncher.Placement placement, int port, Duration timeout,
      Path logFile) {
    String host = placement.host();
    String dataCenter = placement.dataCenter() == null ? LOCAL_DATACENTER : placement.dataCenter();
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastCqlFailure = null;
    while (true) {
      if (!process.isAlive()) {
        throw new CassandraStartException("Cassandra (pid " + process.pid() + ") exited with code "
            + process.exitValue() + " before it answered CQL\n" + LogTail.of(logFile, 40));
      }
      if (System.nanoTime() > deadline) {
        String cause = lastCqlFailure == null ? "" : " (last CQL error: " + lastCqlFailure.getMessage() + ")";
        throw new CassandraStartException("Cassandra (pid " + process.pid() + ") did not answer CQL on " + host + ":"
            + port + " within " + timeout.toSeconds() + " s" + cause + "\n" + LogTail.of(logFile, 40));
      }
      if (accepts(host, port)) {
        try {
          return releaseVersion(host, port, dataCenter);
        } catch (RuntimeException e) {
          lastCqlFailure = e;
        }
      }
      pause();
    }
  }

  /** Runs {@code SELECT release_version FROM system.local} on host:port with a throwaway session. */
  static String releaseVersion(String host, int port, String dataCenter) {
    try (CqlSession session = CqlSession.builder().withConfigLoader(probeConfig(host, port, dataCenter)).build()) {
      Row row = session.execute("SELECT release_version FROM system.local").one();
      if (row == null) {
        throw new IllegalStateException("system.local returned no row");
      }
      return row.getString("release_version");
    }
  }

  private static DriverConfigLoader probeConfig(String host, int port, String dataCenter) {
    // Contact points set in config (not on the builder) replace any from application.conf instead of merging.
    return DriverConfigLoader.programmaticBuilder()
        .withString(DefaultDriverOption.SESSION_NAME, "tollgate-cassandra-probe")
        .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of(host + ":" + port))
        .withString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, dataCenter)
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, PROBE_TIMEOUT)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, PROBE_TIMEOUT)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, PROBE_TIMEOUT)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, PROBE_TIMEOUT)
        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
        .build();
  }

  private static boolean accepts(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CassandraStartException("interrupted while waiting for Cassandra", e);
    }
  }
}
