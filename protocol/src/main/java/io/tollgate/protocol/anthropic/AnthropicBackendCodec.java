package io.tollgate.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.BackendSchema;
import io.tollgate.protocol.GatewayException;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.canonical.ChatRequest;
import io.tollgate.protocol.canonical.ChatResponse;
import io.tollgate.protocol.canonical.Part;
import io.tollgate.protocol.provider.ProviderEndpoint;
import io.tollgate.protocol.provider.ProviderErrors;
import io.tollgate.protocol.provider.UpstreamRequest;
import io.tollgate.protocol.translate.codec.BackendCodec;
import io.tollgate.protocol.translate.codec.BackendStreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Providers speaking the Anthropic Messages API: {@code POST {baseUrl}/v1/messages} with
 * {@code x-api-key} and {@code anthropic-version}. Requests from Anthropic clients are the client's
 * own body with the upstream model; requests from other clients are built from the canonical form.
 */
public enum AnthropicBackendCodec implements BackendCodec {
  INSTANCE;

  /**
   * The {@code max_tokens} sent when the client gave none (OpenAI clients may omit it; Anthropic
   * requires it). Budget admission should reserve against this value for such requests.
   */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** The {@code anthropic-version} header when the endpoint names none. */
  public static final String DEFAULT_VERSION = "2023-06-01";

  @Override
  public BackendSchema schema() {
    return BackendSchema.ANTHROPIC;
  }

  @Override
  public UpstreamRequest encodeRequest(ChatRequest request, String upstreamModel, ProviderEndpoint endpoint) {
    String version = endpoint.anthropicVersion();
    List<Map.Entry<String, String>> auth = List.of(
        Map.entry("x-api-key", endpoint.apiKey().reveal()),
        Map.entry("anthropic-version", version == null || version.isBlank() ? DEFAULT_VERSION : version));
    return UpstreamRequest.jsonPost(endpoint.baseUrl() + "/v1/messages", auth, endpoint,
        AnthropicRequestEncoder.body(request, upstreamModel), request.stream());
  }

  @Override
  public ChatResponse decodeResponse(byte[] body) {
    JsonNode root = Json.readObject(body);
    JsonNode content = root == null ? null : root.get("content");
    if (content == null || !content.isArray()) {
      throw ProviderErrors.unreadable();
    }
    List<Part> parts = new ArrayList<>(content.size());
    for (JsonNode block : content) {
      switch (block.path("type").asText("")) {
        case "text" -> parts.add(new Part.Text(block.path("text").asText("")));
        case "tool_use" -> {
          JsonNode input = block.get("input");
          parts.add(new Part.ToolCall(
              AnthropicWire.text(block, "id"), AnthropicWire.text(block, "name"),
              input == null || input.isNull() ? "{}" : input.toString()));
        }
        case "thinking" -> parts.add(new Part.Thinking(
            block.path("thinking").asText(""), AnthropicWire.text(block, "signature")));
        default -> {
          // redacted thinking and server-tool blocks have no canonical form
        }
      }
    }
    JsonNode usage = root.path("usage");
    return new ChatResponse(
        AnthropicWire.text(root, "id"),
        parts,
        AnthropicStopReasons.fromWire(AnthropicWire.text(root, "stop_reason")),
        AnthropicWire.readUsage(usage));
  }

  @Override
  public GatewayException decodeError(int status, byte[] body) {
    return ProviderErrors.decode(status, body, (statusKind, s, error) -> AnthropicErrors.of(error, s));
  }

  @Override
  public BackendStreamDecoder newStreamDecoder() {
    return new AnthropicStreamDecoder();
  }
}
