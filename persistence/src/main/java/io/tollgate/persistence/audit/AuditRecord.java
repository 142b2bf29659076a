package io.tollgate.persistence.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * One gateway call, as audited. Stored in {@code audit_by_tenant_day}, partitioned by tenant and
 * UTC day of {@code time}; {@code time} is kept with millisecond precision.
 *
 * @param provider null when no provider was chosen
 * @param upstreamModel null when no provider was chosen
 * @param usageEstimated true when the tokens were counted by Tollgate (no provider usage arrived)
 * @param costMicros cost in millionths of a US dollar
 * @param ttftMillis time to first byte of the answer; -1 when not streamed or no byte came
 * @param errorType null on success
 * @param team the calling key's team; null when the key has none
 * @param leaseId the budget lease the call was admitted from; null when no lease was used
 * @param deployment the deployment that served the call (of its last attempt); null when no model was resolved
 * @param region the deployment's region, {@code global} for a global deployment; null when no model was resolved
 * @param attempts provider attempts the call made (more than one after a failover); 0 when none
 * @param cache what the response cache did: {@code hit}, {@code miss}, {@code bypass}, {@code refresh};
 *     null when the tenant's cache is off (or the call is not a chat call)
 * @param cacheSavedMicros on a hit, what the stored answer's own call cost (what the hit saved); else 0
 */
public record AuditRecord(
    String requestId,
    Instant time,
    String tenantId,
    String keyId,
    String clientApi,
    String logicalModel,
    String provider,
    String upstreamModel,
    long inputTokens,
    long outputTokens,
    long cachedTokens,
    long cacheWriteTokens,
    boolean usageEstimated,
    long costMicros,
    long latencyMillis,
    long ttftMillis,
    int status,
    String errorType,
    boolean streamed,
    String team,
    String leaseId,
    String deployment,
    String region,
    int attempts,
    String cache,
    long cacheSavedMicros) {

  /** The region a global deployment is recorded under. */
  public static final String GLOBAL_REGION = "global";

  public AuditRecord {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(tenantId, "tenantId");
  }

  /** A record without cache facts, as written before the response cache existed. */
  public AuditRecord(
      String requestId, Instant time, String tenantId, String keyId, String clientApi, String logicalModel,
      String provider, String upstreamModel, long inputTokens, long outputTokens, long cachedTokens,
      long cacheWriteTokens, boolean usageEstimated, long costMicros, long latencyMillis, long ttftMillis,
      int status, String errorType, boolean streamed, String team, String leaseId, String deployment, String region,
      int attempts) {
    this(requestId, time, tenantId, keyId, clientApi, logicalModel, provider, upstreamModel, inputTokens,
        outputTokens, cachedTokens, cacheWriteTokens, usageEstimated, costMicros, latencyMillis, ttftMillis,
        status, errorType, streamed, team, leaseId, deployment, region, attempts, null, 0);
  }

  /** A record without deployment, region and attempts, as written before routing recorded them. */
  public AuditRecord(
      String requestId, Instant time, String tenantId, String keyId, String clientApi, String logicalModel,
      String provider, String upstreamModel, long inputTokens, long outputTokens, long cachedTokens,
      long cacheWriteTokens, boolean usageEstimated, long costMicros, long latencyMillis, long ttftMillis,
      int status, String errorType, boolean streamed, String team, String leaseId) {
    this(requestId, time, tenantId, keyId, clientApi, logicalModel, provider, upstreamModel, inputTokens,
        outputTokens, cachedTokens, cacheWriteTokens, usageEstimated, costMicros, latencyMillis, ttftMillis,
        status, errorType, streamed, team, leaseId, null, null, 0, null, 0);
  }

  /** The UTC day whose partition holds this record. */
  public LocalDate day() {
    return dayOf(time);
  }

  /** The UTC day of an instant: the partition a record at that time goes to. */
  public static LocalDate dayOf(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }
}
