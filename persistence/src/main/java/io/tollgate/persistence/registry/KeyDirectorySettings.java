package io.tollgate.persistence.registry;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tollgate.registry} settings of a {@link KeyDirectory}, the ask timeout its node
 * passes in, and the topic it listens on (always {@link KeyRegistry#TOPIC_NAME} outside tests).
 */
record KeyDirectorySettings(
    Duration askTimeout,
    Duration refreshInterval,
    Duration catchUpAfter,
    Duration minBackoff,
    Duration maxBackoff,
    String topicName) {

  static KeyDirectorySettings from(Config config, Duration askTimeout) {
    Config c = config.getConfig("tollgate.registry");
    return new KeyDirectorySettings(
        askTimeout,
        c.getDuration("refresh-interval"),
        c.getDuration("catch-up-after"),
        c.getDuration("retry-backoff.min"),
        c.getDuration("retry-backoff.max"),
        KeyRegistry.TOPIC_NAME);
  }
}
