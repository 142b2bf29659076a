package io.tollgate.protocol.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.openai.OpenAiBackendCodec;
import io.tollgate.protocol.openai.ProviderErrors;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.codec.BackendCodec;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import io.tollgate.protocol.usage.Usage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Google Gemini's {@code generateContent} API (Generative Language API, v1beta). */
public enum GeminiBackendCodec implements BackendCodec {
  INSTANCE;

  /** Gemini answers a bad key with 400 INVALID_ARGUMENT; these markers tell it apart from a bad request. */
  private static final Set<String> CREDENTIAL_REASONS = Set.of("API_KEY_INVALID", "API_KEY_EXPIRED", "API_KEY_SERVICE_BLOCKED");
  private static final Set<String> CREDENTIAL_STATUSES = Set.of("UNAUTHENTICATED", "PERMISSION_DENIED");

  @Override
  public BackendSchema schema() {
    return BackendSchema.GEMINI;
  }

  @Override
  public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel, ProviderEndpoint endpoint) {
    String method = request.stream() ? "streamGenerateContent?alt=sse" : "generateContent";
    return request(endpoint, upstreamModel, method, GeminiRequestEncoder.encode(request), request.stream());
  }

  /** A POST to {@code {baseUrl}/v1beta/models/{model}:{method}} with {@code x-goog-api-key}. */
  public static UpstreamRequest request(
      ProviderEndpoint endpoint, String upstreamModel, String method, JsonNode body, boolean streaming) {
    String model = upstreamModel.startsWith("models/") ? upstreamModel.substring("models/".length()) : upstreamModel;
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    headers.add(Map.entry("x-goog-api-key", endpoint.apiKey().reveal()));
    headers.add(Map.entry("content-type", "application/json"));
    if (streaming) {
      headers.add(Map.entry("accept", "text/event-stream"));
    }
    if (endpoint.extraHeaders() != null) {
      endpoint.extraHeaders().forEach((k, v) -> headers.add(Map.entry(k, v)));
    }
    String url = endpoint.baseUrl() + "/v1beta/models/"
        + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20") + ":" + method;
    try {
      return new UpstreamRequest("POST", url, List.copyOf(headers), Json.MAPPER.writeValueAsBytes(body), streaming);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  @Override
  public ChatResponse decodeResponse(byte[] body) {
    JsonNode root = OpenAiBackendCodec.readBody(body);
    Usage usage = GeminiResponses.usage(root.get("usageMetadata"));
    if (usage == null) {
      usage = Usage.ZERO;
    }
    String id = root.path("responseId").isTextual() ? root.get("responseId").asText() : null;
    if (GeminiResponses.promptBlocked(root)) {
      return new ChatResponse(id, List.of(), StopReason.CONTENT_FILTER, usage);
    }
    JsonNode candidate = root.path("candidates").path(0);
    if (!candidate.isObject()) {
      throw new GatewayException(ErrorKind.UPSTREAM_ERROR, "the provider answered with an unreadable body");
    }
    List<Part> parts = new ArrayList<>();
    boolean calledTools = false;
    for (JsonNode part : candidate.path("content").path("parts")) {
      if (part.path("functionCall").isObject()) {
        JsonNode call = part.get("functionCall");
        calledTools = true;
        parts.add(new Part.ToolCall(GeminiResponses.mintToolCallId(), call.path("name").asText(),
            GeminiResponses.argumentsJson(call)));
      } else if (part.path("text").isTextual()) {
        String text = part.get("text").asText();
        parts.add(part.path("thought").asBoolean(false)
            ? new Part.Thinking(text, part.path("thoughtSignature").asText(null))
            : new Part.Text(text));
      }
    }
    StopReason reason = GeminiResponses.stopReason(candidate.path("finishReason").asText(null), calledTools);
    return new ChatResponse(id, List.copyOf(parts), reason, usage);
  }

  @Override
  public GatewayException decodeError(int status, byte[] body) {
    ErrorKind kind = ProviderErrors.kindFor(status);
    if (kind == null) {
      return ProviderErrors.credentialRejected();
    }
    JsonNode error;
    try {
      error = Json.MAPPER.readTree(body).path("error");
    } catch (IOException | RuntimeException e) {
      return new GatewayException(kind, ProviderErrors.statusOnly(status));
    }
    if (rejectsCredential(error)) {
      return ProviderErrors.credentialRejected();
    }
    if (!error.path("message").isTextual()) {
      return new GatewayException(kind, ProviderErrors.statusOnly(status));
    }
    return new GatewayException(kind, ProviderErrors.message(error.get("message").asText()), null,
        error.path("status").isTextual() ? error.get("status").asText() : null);
  }

  private static boolean rejectsCredential(JsonNode error) {
    if (CREDENTIAL_STATUSES.contains(error.path("status").asText())) {
      return true;
    }
    for (JsonNode detail : error.path("details")) {
      if (CREDENTIAL_REASONS.contains(detail.path("reason").asText())) {
        return true;
      }
    }
    return false;
  }

  /** An {@code {"error": {...}}} object inside a 200 stream. */
  static StreamEvent.Failure inBandFailure(JsonNode error) {
    String message = error.path("message").isTextual() ? error.get("message").asText() : "the provider reported an error";
    return new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR,
        rejectsCredential(error) ? ProviderErrors.CREDENTIAL_REJECTED : ProviderErrors.message(message));
  }

  @Override
  public BackendStreamDecoder newStreamDecoder() {
    return new GeminiStreamDecoder();
  }
}
