package io.tollgate.persistence.audit;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The {@code tollgate.audit} settings, plus the keyspace from {@code tollgate.cassandra}. Also used
 * by the tenant admin tables, which live in the same keyspace and session.
 */
public record AuditSettings(
    String sessionConfigPath,
    String keyspace,
    int replicationFactor,
    boolean createSchema,
    ConsistencyLevel consistency,
    int writeAttempts,
    Duration minBackoff,
    Duration maxBackoff,
    int queueSize,
    int writeParallelism,
    Duration admissionTimeout,
    GroupCommitSettings admissionCommit,
    GroupCommitSettings groupCommit) {

  public static AuditSettings from(Config config) {
    Config a = config.getConfig("tollgate.audit");
    // tollgate.cassandra lives in the node's configuration (cluster-config); these are its defaults.
    String keyspace = config.hasPath("tollgate.cassandra.keyspace")
        ? config.getString("tollgate.cassandra.keyspace") : "tollgate";
    int rf = config.hasPath("tollgate.cassandra.replication-factor")
        ? config.getInt("tollgate.cassandra.replication-factor") : 1;
    return new AuditSettings(
        a.getString("session-config-path"),
        keyspace,
        rf,
        a.getBoolean("create-schema"),
        DefaultConsistencyLevel.valueOf(a.getString("consistency")),
        Math.max(1, a.getInt("write-attempts")),
        a.getDuration("retry-backoff.min"),
        a.getDuration("retry-backoff.max"),
        a.getInt("writer.queue-size"),
        a.getInt("writer.parallelism"),
        a.getDuration("admission-timeout"),
        GroupCommitSettings.from(a.getConfig("admission-commit")),
        GroupCommitSettings.from(a.getConfig("group-commit")));
  }

  AuditSettings withKeyspace(String ks) {
    return new AuditSettings(sessionConfigPath, ks, replicationFactor, createSchema, consistency, writeAttempts,
        minBackoff, maxBackoff, queueSize, writeParallelism, admissionTimeout, admissionCommit, groupCommit);
  }
}
