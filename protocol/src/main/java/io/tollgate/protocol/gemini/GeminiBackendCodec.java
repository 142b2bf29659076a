package io.tollgate.protocol.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.StopReason;
import io.tollgate.protocol.canonical.StreamEvent;
import io.tollgate.protocol.openai.OpenAiBackendCodec;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.ProviderErrors;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.codec.BackendCodec;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import io.tollgate.protocol.usage.Usage;
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
    String url = endpoint.baseUrl() + "/v1beta/models/"
        + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20") + ":" + method;
    return UpstreamRequest.jsonPost(
        url, List.of(Map.entry("x-goog-api-key", endpoint.apiKey().reveal())), endpoint, body, streaming);
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
      throw ProviderErrors.unreadable();
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
    return ProviderErrors.decode(status, body, GeminiBackendCodec::error);
  }

  /** An {@code {"error": {...}}} object inside a 200 stream. */
  static StreamEvent.Failure inBandFailure(JsonNode error) {
    return ProviderErrors.inStream(error(ErrorKind.UPSTREAM_ERROR, 0, error));
  }

  private static GatewayException error(ErrorKind kind, int status, JsonNode error) {
    if (rejectsCredential(error)) {
      return ProviderErrors.credentialRejected();
    }
    JsonNode message = error.path("message");
    if (!message.isTextual()) {
      return new GatewayException(kind, ProviderErrors.message(null, status));
    }
    return new GatewayException(kind, ProviderErrors.message(message.asText(), status), null,
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

  @Override
  public BackendStreamDecoder newStreamDecoder() {
    return new GeminiStreamDecoder();
  }
}
