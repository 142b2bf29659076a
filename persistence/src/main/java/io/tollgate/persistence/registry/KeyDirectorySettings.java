package io.tollgate.persistence.registry;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code tollgate.registry} settings of a {@link KeyDirectory}. */
record KeyDirectorySettings(
    Duration askTimeout, Duration refreshInterval, Duration catchUpAfter, Duration minBackoff, Duration maxBackoff) {

  static KeyDirectorySettings from(Config config, Duration askTimeout) {
    Config c = config.getConfig("tollgate.registry");
    return new KeyDirectorySettings(
        askTimeout,
        c.getDuration("refresh-interval"),
        c.getDuration("catch-up-after"),
        c.getDuration("retry-backoff.min"),
        c.getDuration("retry-backoff.max"));
  }
}
