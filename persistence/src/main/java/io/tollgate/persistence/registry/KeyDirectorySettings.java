package io.tollgate.persistence.registry;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tollgate.registry} settings of a node's {@link KeyDirectory} (see reference.conf),
 * and the topic it listens on (always {@link RegistryTopic#TOPIC_NAME} outside tests).
 */
record KeyDirectorySettings(
    int maxKeys,
    int maxRefusals,
    Duration refusalTtl,
    int maxRecentChanges,
    Duration recentChangesTtl,
    int maxConcurrentReads,
    Duration catchUpInterval,
    Duration catchUpOverlap,
    Duration changeLogRetention,
    String topicName) {

  static KeyDirectorySettings from(Config config) {
    Config c = config.getConfig("tollgate.registry");
    return new KeyDirectorySettings(
        c.getInt("cache.max-keys"),
        c.getInt("cache.max-refusals"),
        c.getDuration("cache.refusal-ttl"),
        c.getInt("cache.max-recent-changes"),
        c.getDuration("cache.recent-changes-ttl"),
        c.getInt("cache.max-concurrent-reads"),
        c.getDuration("catch-up.interval"),
        c.getDuration("catch-up.overlap"),
        c.getDuration("catch-up.log-retention"),
        RegistryTopic.TOPIC_NAME);
  }

  KeyDirectorySettings withTopic(String topic) {
    return new KeyDirectorySettings(maxKeys, maxRefusals, refusalTtl, maxRecentChanges, recentChangesTtl,
        maxConcurrentReads, catchUpInterval, catchUpOverlap, changeLogRetention, topic);
  }

  KeyDirectorySettings withCatchUpInterval(Duration interval) {
    return new KeyDirectorySettings(maxKeys, maxRefusals, refusalTtl, maxRecentChanges, recentChangesTtl,
        maxConcurrentReads, interval, catchUpOverlap, changeLogRetention, topicName);
  }
}
