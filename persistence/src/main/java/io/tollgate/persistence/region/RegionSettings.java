package io.tollgate.persistence.region;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code tollgate.regions} settings, with this node's region: the Pekko data center it belongs
 * to ({@code pekko.cluster.multi-data-center.self-data-center}, which the node sets from
 * {@code tollgate.node.region}). Missing keys take the defaults below, so a config without the
 * section is a single-region cluster and nothing region-related happens.
 *
 * @param self this node's region
 * @param all every region of the cluster; this node's region is always one of them
 * @param defaultHome the home of a tenant nobody moved; one of {@code all}
 * @param primary where the key registry runs; one of {@code all}
 * @param replication Cassandra data center name to replication factor, for keyspaces Tollgate creates
 *     when there is more than one region (empty: every region name with {@code replication-factor})
 * @param replicationFactor {@code tollgate.cassandra.replication-factor}: SimpleStrategy's factor
 *     with one region, and the per-region default with several
 * @param homeRefresh how often a node re-reads every tenant's home, behind the pushed notices
 * @param fenceTimeout how long a move waits for the old home's entity to stop
 * @param serialConsistency serial consistency of the home table's conditional writes
 */
public record RegionSettings(
    String self,
    List<String> all,
    String defaultHome,
    String primary,
    Map<String, Integer> replication,
    int replicationFactor,
    Duration homeRefresh,
    Duration fenceTimeout,
    ConsistencyLevel serialConsistency) {

  /** Region and Cassandra data center names: letters, digits, dashes, dots and underscores. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  public RegionSettings {
    all = List.copyOf(all);
    replication = Map.copyOf(replication);
    for (String region : all) {
      requireName(region, "tollgate.regions.all");
    }
    if (!all.contains(self)) {
      throw new IllegalArgumentException(
          "tollgate.regions.all " + all + " must contain this node's region '" + self + "'");
    }
    if (!all.contains(defaultHome)) {
      throw new IllegalArgumentException("tollgate.regions.default-home '" + defaultHome + "' is not in " + all);
    }
    if (!all.contains(primary)) {
      throw new IllegalArgumentException("tollgate.regions.primary '" + primary + "' is not in " + all);
    }
    replication.forEach((dc, rf) -> {
      requireName(dc, "tollgate.regions.replication");
      if (rf < 1) {
        throw new IllegalArgumentException("tollgate.regions.replication." + dc + " must be at least 1");
      }
    });
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("tollgate.cassandra.replication-factor must be at least 1");
    }
  }

  /** One region: {@code self}, which is also every tenant's home and the primary. */
  public static RegionSettings single(String self) {
    return new RegionSettings(self, List.of(self), self, self, Map.of(), 1, Duration.ofSeconds(30),
        Duration.ofSeconds(5), DefaultConsistencyLevel.LOCAL_SERIAL);
  }

  /** Reads the node's region and {@code tollgate.regions.*}. */
  public static RegionSettings from(Config config) {
    String self = config.getString("pekko.cluster.multi-data-center.self-data-center");
    Config r = config.hasPath("tollgate.regions") ? config.getConfig("tollgate.regions") : null;
    List<String> all = new ArrayList<>();
    if (r != null && r.hasPath("all")) {
      List<String> listed = r.getValue("all").valueType() == ConfigValueType.STRING
          ? List.of(r.getString("all").split(","))
          : r.getStringList("all");
      for (String region : listed) {
        if (!region.isBlank() && !all.contains(region.strip())) {
          all.add(region.strip());
        }
      }
    }
    if (all.isEmpty()) {
      all.add(self);
    }
    // With several regions every node must agree on the default home: the first listed region.
    String fallbackHome = all.size() == 1 ? self : all.get(0);
    String defaultHome = text(r, "default-home", fallbackHome);
    String primary = text(r, "primary", defaultHome);
    Map<String, Integer> replication = new LinkedHashMap<>();
    if (r != null && r.hasPath("replication")) {
      for (Map.Entry<String, ConfigValue> e : r.getObject("replication").entrySet()) {
        replication.put(e.getKey(), factor(e.getKey(), e.getValue().unwrapped()));
      }
    }
    int rf = config.hasPath("tollgate.cassandra.replication-factor")
        ? config.getInt("tollgate.cassandra.replication-factor") : 1;
    Duration refresh = r != null && r.hasPath("home-refresh") ? r.getDuration("home-refresh") : Duration.ofSeconds(30);
    Duration fence = r != null && r.hasPath("fence-timeout") ? r.getDuration("fence-timeout") : Duration.ofSeconds(5);
    ConsistencyLevel serial = DefaultConsistencyLevel.valueOf(text(r, "home-serial-consistency", "LOCAL_SERIAL"));
    return new RegionSettings(self, all, defaultHome, primary, replication, rf, refresh, fence, serial);
  }

  /** Whether the cluster has more than one region (otherwise nothing here changes anything). */
  public boolean multiRegion() {
    return all.size() > 1;
  }

  /** The other regions, whose entities this node reaches through sharding proxies. */
  public List<String> others() {
    return all.stream().filter(region -> !region.equals(self)).toList();
  }

  /**
   * Cassandra data center to replication factor for NetworkTopologyStrategy: the configured map,
   * or each region with {@link #replicationFactor} (region names being the data center names).
   */
  public Map<String, Integer> dataCenterReplication() {
    if (!replication.isEmpty()) {
      return replication;
    }
    Map<String, Integer> byRegion = new LinkedHashMap<>();
    all.forEach(region -> byRegion.put(region, replicationFactor));
    return byRegion;
  }

  private static String text(Config c, String key, String fallback) {
    if (c == null || !c.hasPath(key)) {
      return fallback;
    }
    String value = c.getString(key).strip();
    return value.isEmpty() ? fallback : value;
  }

  /** A number, or a number in a string (as system properties and environment variables give it). */
  private static int factor(String dataCenter, Object value) {
    if (value instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(value).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("tollgate.regions.replication." + dataCenter + " must be a number");
    }
  }

  private static void requireName(String name, String where) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(where + ": invalid name '" + name + "'");
    }
  }
}
