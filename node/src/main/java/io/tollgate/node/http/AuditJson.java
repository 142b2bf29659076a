package io.tollgate.node.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.persistence.audit.AuditRecord;
import io.tollgate.protocol.usage.Price;

/** An audit record as the admin API shows it (snake_case, cost in USD and micro-dollars). */
final class AuditJson {
  private AuditJson() {}

  static ObjectNode of(AuditRecord r) {
    return JsonNodeFactory.instance.objectNode()
        .put("request_id", r.requestId())
        .put("time", r.time().toString())
        .put("tenant_id", r.tenantId())
        .put("key_id", r.keyId())
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
        .put("streamed", r.streamed());
  }
}
