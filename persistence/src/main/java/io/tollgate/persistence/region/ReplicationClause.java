package io.tollgate.persistence.region;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The one place that writes the CQL {@code replication} map of the keyspaces Tollgate creates (the
 * journal, the snapshot store and the {@code tollgate} keyspace): SimpleStrategy with
 * {@code tollgate.cassandra.replication-factor} for one region, NetworkTopologyStrategy with a
 * factor per Cassandra data center ({@code tollgate.regions.replication}) for several.
 */
public final class ReplicationClause {
  private ReplicationClause() {}

  /** The clause for the node's configuration. */
  public static String from(Config config) {
    return of(RegionSettings.from(config));
  }

  /** The clause for these settings. */
  public static String of(RegionSettings settings) {
    return settings.multiRegion()
        ? networkTopology(settings.dataCenterReplication())
        : simple(settings.replicationFactor());
  }

  /** {@code {'class': 'SimpleStrategy', 'replication_factor': n}}. */
  public static String simple(int replicationFactor) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("a replication factor is at least 1");
    }
    return "{'class': 'SimpleStrategy', 'replication_factor': " + replicationFactor + "}";
  }

  /** {@code {'class': 'NetworkTopologyStrategy', 'dc': n, ...}}, data centers in name order. */
  public static String networkTopology(Map<String, Integer> factorByDataCenter) {
    if (factorByDataCenter.isEmpty()) {
      throw new IllegalArgumentException("NetworkTopologyStrategy needs at least one data center");
    }
    StringJoiner clause = new StringJoiner(", ", "{", "}");
    clause.add("'class': 'NetworkTopologyStrategy'");
    new TreeMap<>(factorByDataCenter).forEach((dc, rf) -> {
      if (dc == null || !RegionSettings.NAME.matcher(dc).matches()) {
        throw new IllegalArgumentException("invalid Cassandra data center name: " + dc);
      }
      if (rf == null || rf < 1) {
        throw new IllegalArgumentException("the replication factor of " + dc + " must be at least 1");
      }
      clause.add("'" + dc + "': " + rf);
    });
    return clause.toString();
  }

  /** {@code CREATE KEYSPACE IF NOT EXISTS <keyspace> WITH replication = <clause>}. */
  public static String createKeyspace(String keyspace, String clause) {
    if (keyspace == null || !keyspace.matches("[a-zA-Z][a-zA-Z0-9_]{0,47}")) {
      throw new IllegalArgumentException("invalid keyspace name: " + keyspace);
    }
    return "CREATE KEYSPACE IF NOT EXISTS " + keyspace + " WITH replication = " + clause;
  }
}
