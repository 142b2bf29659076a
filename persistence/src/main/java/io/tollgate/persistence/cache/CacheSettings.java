package io.tollgate.persistence.cache;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code tollgate.cache} settings (persistence's reference.conf documents them). */
public record CacheSettings(
    int prefixLength, int hotMaxEntries, long hotMaxBytes, long maxEntryBytes, Duration lookupTimeout,
    Duration storeTimeout, Duration followerWait, Duration leadTimeout) {

  public static CacheSettings from(Config config) {
    Config c = config.getConfig("tollgate.cache");
    return new CacheSettings(
        Math.max(1, Math.min(8, c.getInt("partition-prefix-length"))),
        Math.max(1, c.getInt("hot-set.max-entries")),
        Math.max(1, c.getBytes("hot-set.max-bytes")),
        Math.max(1, c.getBytes("max-entry-bytes")),
        c.getDuration("lookup-timeout"),
        c.getDuration("store-timeout"),
        c.getDuration("single-flight.wait"),
        c.getDuration("single-flight.lead-timeout"));
  }
}
