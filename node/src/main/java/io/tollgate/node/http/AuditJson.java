package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.persistence.audit.StoredBodies;
import io.tollgate.protocol.usage.Price;
import java.util.List;

/**
 * An audit record as the admin API shows it (snake_case, cost in USD and micro-dollars). The CSV
 * export writes the same fields, in {@link #FIELDS} order.
 */
public final class AuditJson {
  /** The fields of {@link #of}, in order: the CSV export's columns. */
  public static final List<String> FIELDS = List.of(
      "request_id", "time", "tenant_id", "key_id", "team", "client_api", "model", "provider", "upstream_model",
      "input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "usage_estimated", "cost_usd",
      "cost_micros", "latency_ms", "ttft_ms", "status", "error_type", "streamed", "lease_id", "deployment", "region",
      "attempts", "cache", "cache_saved_usd");

  private AuditJson() {}

  public static ObjectNode of(AuditRecord r) {
    return JsonNodeFactory.instance.objectNode()
        .put("request_id", r.requestId())
        .put("time", r.time().toString())
        .put("tenant_id", r.tenantId())
        .put("key_id", r.keyId())
        .put("team", r.team())
        .put("client_api", r.clientApi())
        .put("model", r.logicalModel())
        .put("provider", r.provider())
        .put("upstream_model", r.upstreamModel())
        .put("input_tokens", r.inputTokens())
        .put("output_tokens", r.outputTokens())
        .put("cached_tokens", r.cachedTokens())
        .put("cache_write_tokens", r.cacheWriteTokens())
        .put("usage_estimated", r.usageEstimated())
        .put("cost_usd", Price.usd(r.costMicros()))
        .put("cost_micros", r.costMicros())
        .put("latency_ms", r.latencyMillis())
        .put("ttft_ms", r.ttftMillis())
        .put("status", r.status())
        .put("error_type", r.errorType())
        .put("streamed", r.streamed())
        .put("lease_id", r.leaseId())
        .put("deployment", r.deployment())
        .put("region", r.region())
        .put("attempts", r.attempts())
        .put("cache", r.cache())
        .put("cache_saved_usd", Price.usd(r.cacheSavedMicros()));
  }

  /** A record with its stored bodies (null fields when the tenant had not opted in). */
  public static ObjectNode withBodies(AuditRecord r, StoredBodies bodies) {
    ObjectNode o = of(r);
    o.put("request_body", bodies == null ? null : bodies.requestBody());
    o.put("response_body", bodies == null ? null : bodies.responseBody());
    o.put("request_truncated", bodies != null && bodies.requestTruncated());
    o.put("response_truncated", bodies != null && bodies.responseTruncated());
    return o;
  }
}
