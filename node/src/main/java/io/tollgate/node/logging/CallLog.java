package io.tollgate.node.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The access log: one INFO line per finished call, on the logger
 * {@code io.tollgate.node.logging.CallLog}. Every fact is a structured field (a top-level JSON
 * field in the JSON format, {@code name=value} in the text format's message): {@code request_id}
 * and {@code tenant_id} (as MDC entries, the names any other log line of the call uses),
 * {@code key_id}, {@code client_api}, {@code model}, {@code provider}, {@code status},
 * {@code outcome} ({@code success}, {@code disconnected} or {@code error}), {@code error_type},
 * {@code input_tokens}, {@code output_tokens}, {@code cost_micros}, {@code latency_ms},
 * {@code streamed}.
 *
 * <p>It never takes prompt or answer text, and a value shaped like a secret ({@code tg_...},
 * {@code tga_...}, {@code sk-...}) passed where an id belongs is written as {@value #REDACTED}.
 */
public final class CallLog {
  /** MDC key of the request id. */
  public static final String REQUEST_ID = "request_id";
  /** MDC key of the tenant id. */
  public static final String TENANT_ID = "tenant_id";

  static final String REDACTED = "[REDACTED]";

  private static final Logger log = LoggerFactory.getLogger(CallLog.class);
  private static final Pattern SECRET = Pattern.compile("(?:tga?_|sk-)[A-Za-z0-9_-]{8,}");
  private static final String FORMAT = "call request_id={} tenant_id={}" + " {}".repeat(12);

  private CallLog() {}

  /** Logs one finished call; {@code errorType} is null on success, cost is in micro-dollars. */
  public static void finished(
      String requestId, String tenantId, String keyId, String clientApi, String model, String provider,
      int status, String errorType, long inputTokens, long outputTokens, long costMicros, long latencyMillis,
      boolean streamed) {
    if (!log.isInfoEnabled()) {
      return;
    }
    String request = safe(requestId);
    String tenant = safe(tenantId);
    String requestBefore = MDC.get(REQUEST_ID);
    String tenantBefore = MDC.get(TENANT_ID);
    put(REQUEST_ID, request);
    put(TENANT_ID, tenant);
    try {
      log.info(FORMAT,
          request,
          tenant,
          kv("key_id", safe(keyId)),
          kv("client_api", safe(clientApi)),
          kv("model", safe(model)),
          kv("provider", safe(provider)),
          kv("status", status),
          kv("outcome", outcome(status, errorType)),
          kv("error_type", safe(errorType)),
          kv("input_tokens", inputTokens),
          kv("output_tokens", outputTokens),
          kv("cost_micros", costMicros),
          kv("latency_ms", latencyMillis),
          kv("streamed", streamed));
    } finally {
      put(REQUEST_ID, requestBefore);
      put(TENANT_ID, tenantBefore);
    }
  }

  static String outcome(int status, String errorType) {
    if (errorType == null && status < 400) {
      return "success";
    }
    return status == 499 || "client_disconnected".equals(errorType) ? "disconnected" : "error";
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  private static String safe(String value) {
    // the regex only where one of its prefixes is (fields are short ids; most hold none)
    if (value == null || !(value.contains("tg_") || value.contains("tga_") || value.contains("sk-"))) {
      return value;
    }
    return SECRET.matcher(value).replaceAll(REDACTED);
  }
}
