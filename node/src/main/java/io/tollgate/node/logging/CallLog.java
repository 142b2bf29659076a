package io.tollgate.node.logging;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one INFO line per finished call, on the logger {@code io.tollgate.node.logging.CallLog}.
 * Every fact is a structured field (a top-level JSON field in the JSON format, {@code name=value}
 * in the text format): {@code request_id}, {@code tenant_id}, {@code key_id}, {@code client_api},
 * {@code model}, {@code provider}, {@code status}, {@code outcome} ({@code success},
 * {@code disconnected} or {@code error}), {@code error_type}, {@code input_tokens},
 * {@code output_tokens}, {@code cost_micros}, {@code latency_ms}, {@code streamed}.
 *
 * <p>It never takes prompt or answer text, and a value shaped like a secret ({@code tg_...},
 * {@code tga_...}, {@code sk-...}) passed where an id belongs is written as {@value #REDACTED}.
 */
public final class CallLog {
  static final String REDACTED = "[REDACTED]";

  private static final Logger log = LoggerFactory.getLogger(CallLog.class);
  private static final Pattern SECRET = Pattern.compile("(?:tga?_|sk-)[A-Za-z0-9_-]{8,}");
  private static final String FORMAT = "call" + " {}".repeat(14);

  private CallLog() {}

  /** Logs one finished call; {@code errorType} is null on success, cost is in micro-dollars. */
  public static void finished(
      String requestId, String tenantId, String keyId, String clientApi, String model, String provider,
      int status, String errorType, long inputTokens, long outputTokens, long costMicros, long latencyMillis,
      boolean streamed) {
    if (!log.isInfoEnabled()) {
      return;
    }
    log.info(FORMAT,
        kv("request_id", safe(requestId)),
        kv("tenant_id", safe(tenantId)),
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
  }

  static String outcome(int status, String errorType) {
    if (errorType == null && status < 400) {
      return "success";
    }
    return status == 499 || "client_disconnected".equals(errorType) ? "disconnected" : "error";
  }

  private static String safe(String value) {
    return value == null ? null : SECRET.matcher(value).replaceAll(REDACTED);
  }
}
