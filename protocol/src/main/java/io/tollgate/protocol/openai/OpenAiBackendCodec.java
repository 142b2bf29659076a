package io.tollgate.protocol.openai;

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

/** Providers speaking OpenAI Chat Completions: OpenAI itself, Azure OpenAI and OpenAI-compatible bases. */
public enum OpenAiBackendCodec implements BackendCodec {
  INSTANCE;

  @Override
  public BackendSchema schema() {
    return BackendSchema.OPENAI;
  }

  @Override
  public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel, ProviderEndpoint endpoint) {
    ObjectNode body = OpenAiRequestEncoder.encode(request, upstreamModel, endpoint.outputCapField());
    return request(endpoint, upstreamModel, "chat/completions", body, request.stream());
  }

  /**
   * A POST to an OpenAI-schema endpoint: {@code {baseUrl}/{path}} with a bearer token, or on Azure
   * {@code {baseUrl}/openai/deployments/{deployment}/{path}?api-version=...} with {@code api-key}.
   */
  public static UpstreamRequest request(
      ProviderEndpoint endpoint, String upstreamModel, String path, JsonNode body, boolean streaming) {
    if (endpoint.isAzure()) {
      String url = endpoint.baseUrl() + "/openai/deployments/" + pathSegment(upstreamModel) + "/" + path
          + "?api-version=" + URLEncoder.encode(endpoint.azureApiVersion(), StandardCharsets.UTF_8);
      return UpstreamRequest.jsonPost(
          url, List.of(Map.entry("api-key", endpoint.apiKey().reveal())), endpoint, body, streaming);
    }
    return UpstreamRequest.jsonPost(endpoint.baseUrl() + "/" + path,
        List.of(Map.entry("authorization", "Bearer " + endpoint.apiKey().reveal())), endpoint, body, streaming);
  }

  @Override
  public ChatResponse decodeResponse(byte[] body) {
    JsonNode root = readBody(body);
    JsonNode choices = root.path("choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw ProviderErrors.unreadable();
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
  public static ObjectNode readBody(byte[] body) {
    ObjectNode root = Json.readObject(body);
    if (root == null) {
      throw ProviderErrors.unreadable();
    }
    return root;
  }

  @Override
  public GatewayException decodeError(int status, byte[] body) {
    return ProviderErrors.decode(status, body, OpenAiBackendCodec::error);
  }

  /** An {@code {"error": {...}}} object that arrived inside a 200 stream. */
  static StreamEvent.Failure inBandFailure(JsonNode error) {
    return ProviderErrors.inStream(error(ErrorKind.UPSTREAM_ERROR, 0, error));
  }

  /** The provider's {@code error} member (an object, or a bare string from some compatible providers). */
  private static GatewayException error(ErrorKind kind, int status, JsonNode error) {
    if (error.isTextual()) {
      return new GatewayException(kind, ProviderErrors.message(error.asText(), status));
    }
    JsonNode message = error.path("message");
    if (!message.isTextual()) {
      return new GatewayException(kind, ProviderErrors.message(null, status));
    }
    return new GatewayException(
        kind,
        ProviderErrors.message(message.asText(), status),
        error.path("param").isTextual() ? error.get("param").asText() : null,
        error.path("code").isTextual() ? error.get("code").asText() : null);
  }

  @Override
  public BackendStreamDecoder newStreamDecoder() {
    return new OpenAiStreamDecoder();
  }

  private static String pathSegment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
