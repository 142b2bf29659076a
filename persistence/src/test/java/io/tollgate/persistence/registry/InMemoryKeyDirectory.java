package io.tollgate.persistence.registry;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;

/**
 * A {@link KeyDirectory} over a map instead of Cassandra, with the shipped cache settings except
 * its size: for benchmarks and tests of the request path that need no cluster. Nothing is pushed.
 */
public final class InMemoryKeyDirectory {
  private InMemoryKeyDirectory() {}

  /** A directory reading {@code keysByHash} on a miss, holding up to {@code maxKeys} active keys. */
  public static KeyDirectory over(Map<String, KeyInfo> keysByHash, int maxKeys) {
    KeyDirectorySettings shipped = KeyDirectorySettings.from(ConfigFactory.defaultReference());
    KeyDirectorySettings settings = new KeyDirectorySettings(maxKeys, shipped.maxRefusals(),
        shipped.refusalTtl(), shipped.maxRecentChanges(), shipped.recentChangesTtl(), shipped.maxConcurrentReads(),
        shipped.catchUpInterval(), shipped.catchUpOverlap(), shipped.changeLogRetention(), shipped.topicName());
    KeyCache cache = new KeyCache(settings,
        hash -> CompletableFuture.completedFuture(Optional.ofNullable(keysByHash.get(hash))));
    return new KeyDirectory(cache, CompletableFuture.completedFuture(Done.getInstance()));
  }
}
