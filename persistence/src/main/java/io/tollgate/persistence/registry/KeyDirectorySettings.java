package io.tollgate.persistence.registry;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tollgate.registry} settings of a {@link KeyDirectory}, the ask timeout its node
 * passes in, and the topic it listens on (always {@link KeyRegistry#TOPIC_NAME} outside tests).
 *
 * @param bootstrapFromJournalAfter how long a directory that has no view yet waits for the registry
 *     before it loads one from the registry's journal; zero never does
 */
record KeyDirectorySettings(
    Duration askTimeout,
    Duration refreshInterval,
    Duration catchUpAfter,
    Duration minBackoff,
    Duration maxBackoff,
    String topicName,
    Duration bootstrapFromJournalAfter) {

  /** Settings that never read the journal: the directory waits for the registry. */
  KeyDirectorySettings(
      Duration askTimeout,
      Duration refreshInterval,
      Duration catchUpAfter,
      Duration minBackoff,
      Duration maxBackoff,
      String topicName) {
    this(askTimeout, refreshInterval, catchUpAfter, minBackoff, maxBackoff, topicName, Duration.ZERO);
  }

  static KeyDirectorySettings from(Config config, Duration askTimeout) {
    Config c = config.getConfig("tollgate.registry");
    return new KeyDirectorySettings(
        askTimeout,
        c.getDuration("refresh-interval"),
        c.getDuration("catch-up-after"),
        c.getDuration("retry-backoff.min"),
        c.getDuration("retry-backoff.max"),
        KeyRegistry.TOPIC_NAME,
        c.getDuration("bootstrap-from-journal-after"));
  }

  boolean bootstrapsFromJournal() {
    return !bootstrapFromJournalAfter.isZero() && !bootstrapFromJournalAfter.isNegative();
  }
}
