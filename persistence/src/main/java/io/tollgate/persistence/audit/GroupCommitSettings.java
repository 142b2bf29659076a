package io.tollgate.persistence.audit;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;

/** The {@code tollgate.audit.group-commit} settings of the {@link GroupCommit} writing final audit records. */
public record GroupCommitSettings(
    int maxRecords,
    Duration interval,
    int parallelism,
    Mode mode,
    int maxPending,
    int maxAttempts,
    Duration minBackoff,
    Duration maxBackoff) {

  /** How a group reaches Cassandra. */
  public enum Mode {
    /** One unlogged batch per partition (a single statement when a partition has one row). */
    BATCH,
    /** One asynchronous write per row, all at once. */
    CONCURRENT
  }

  public static GroupCommitSettings from(Config c) {
    return new GroupCommitSettings(
        Math.max(1, c.getInt("max-records")),
        c.getDuration("interval"),
        Math.max(1, c.getInt("parallelism")),
        Mode.valueOf(c.getString("mode").toUpperCase(Locale.ROOT)),
        Math.max(1, c.getInt("max-pending")),
        Math.max(1, c.getInt("max-attempts")),
        c.getDuration("retry-backoff.min"),
        c.getDuration("retry-backoff.max"));
  }
}
