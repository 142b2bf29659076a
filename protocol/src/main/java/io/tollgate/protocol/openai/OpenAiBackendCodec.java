package io.tollgate.protocol.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.ErrorKind;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.canonical.StreamEvent;
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

/** Providers speaking OpenAI Chat Completions: OpenAI itself, Azure OpenAI and OpenAI-compatible bases. */
public enum OpenAiBackendCodec implements BackendCodec {
  INSTANCE;

  @Override
  public BackendSchema schema() {
    return BackendSchema.OPENAI;
  }

  @Override
  public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel, ProviderEndpoint endpoint) {
    ObjectNode body = OpenAiRequestEncoder.encode(request, upstreamModel);
    return request(endpoint, upstreamModel, "chat/completions", body, request.stream());
  }

  /**
   * A POST to an OpenAI-schema endpoint: {@code {baseUrl}/{path}} with a bearer token, or on Azure
   * {@code {baseUrl}/openai/deployments/{deployment}/{path}?api-version=...} with {@code api-key}.
   */
  public static UpstreamRequest request(
      ProviderEndpoint endpoint, String upstreamModel, String path, JsonNode body, boolean streaming) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String url;
    if (endpoint.isAzure()) {
      url = endpoint.baseUrl() + "/openai/deployments/" + pathSegment(upstreamModel) + "/" + path
          + "?api-version=" + URLEncoder.encode(endpoint.azureApiVersion(), StandardCharsets.UTF_8);
      headers.add(Map.entry("api-key", endpoint.apiKey().reveal()));
    } else {
      url = endpoint.baseUrl() + "/" + path;
      headers.add(Map.entry("authorization", "Bearer " + endpoint.apiKey().reveal()));
    }
    headers.add(Map.entry("content-type", "application/json"));
    if (streaming) {
      headers.add(Map.entry("accept", "text/event-stream"));
    }
    if (endpoint.extraHeaders() != null) {
      endpoint.extraHeaders().forEach((k, v) -> headers.add(Map.entry(k, v)));
    }
    return new UpstreamRequest("POST", url, List.copyOf(headers), bytes(body), streaming);
  }

  @Override
  public ChatResponse decodeResponse(byte[] body) {
    JsonNode root = readBody(body);
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw unreadable();
    }
    JsonNode choice = choices.get(0);
    JsonNode message = choice.path("message");
    List<Part> parts = new ArrayList<>();
    JsonNode content = message.path("content");
    if (content.isTextual() && !content.asText().isEmpty()) {
      parts.add(new Part.Text(content.asText()));
    }
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      parts.add(new Part.ToolCall(
          call.path("id").asText(), function.path("name").asText(), function.path("arguments").asText("{}")));
    }
    Usage usage = OpenAiUsage.parse(root.get("usage"));
    return new ChatResponse(
        root.path("id").isTextual() ? root.get("id").asText() : null,
        List.copyOf(parts),
        OpenAiFinishReasons.fromOpenAi(choice.path("finish_reason").asText(null)),
        usage == null ? Usage.ZERO : usage);
  }

  /** Parses a provider's JSON answer. @throws GatewayException UPSTREAM_ERROR when it is not a JSON object */
  public static JsonNode readBody(byte[] body) {
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      if (root == null || !root.isObject()) {
        throw unreadable();
      }
      return root;
    } catch (IOException e) {
      throw unreadable();
    }
  }

  private static GatewayException unreadable() {
    return new GatewayException(ErrorKind.UPSTREAM_ERROR, "the provider answered with an unreadable body");
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
    if (error.isTextual()) {
      return new GatewayException(kind, ProviderErrors.message(error.asText()));
    }
    if (!error.path("message").isTextual()) {
      return new GatewayException(kind, ProviderErrors.statusOnly(status));
    }
    return new GatewayException(
        kind,
        ProviderErrors.message(error.get("message").asText()),
        error.path("param").isTextual() ? error.get("param").asText() : null,
        error.path("code").isTextual() ? error.get("code").asText() : null);
  }

  /** An {@code {"error": {...}}} object that arrived inside a 200 stream. */
  static StreamEvent.Failure inBandFailure(JsonNode error) {
    String message = error.path("message").isTextual() ? error.get("message").asText() : "the provider reported an error";
    return new StreamEvent.Failure(ErrorKind.UPSTREAM_ERROR, ProviderErrors.message(message));
  }

  @Override
  public BackendStreamDecoder newStreamDecoder() {
    return new OpenAiStreamDecoder();
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static byte[] bytes(JsonNode body) {
    try {
      return Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
