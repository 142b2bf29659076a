package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A streaming chat client of one API, speaking raw HTTP: how it asks for a stream, and how it
 * reads text, the clean end and in-band errors out of the frames it gets back.
 */
public enum StreamingClient {
  /** Chat Completions with {@code stream: true} and {@code stream_options.include_usage}. */
  OPENAI("x-request-id") {
    @Override
    public HttpRequest request(String baseUrl, String key, String model, String userText) {
      ObjectNode body = base(model, userText);
      body.putObject("stream_options").put("include_usage", true);
      return Calls.openAiChat(baseUrl, key, body.toString());
    }

    @Override
    public String text(SseFrame frame) {
      JsonNode json = frame.json();
      return json == null ? "" : json.path("choices").path(0).path("delta").path("content").asText("");
    }

    @Override
    public boolean isCleanEnd(SseFrame frame) {
      return frame.data().trim().equals("[DONE]");
    }

    @Override
    public boolean isError(SseFrame frame) {
      JsonNode json = frame.json();
      return json != null && json.path("error").isObject();
    }
  },

  /** Messages with {@code stream: true}. */
  ANTHROPIC("request-id") {
    @Override
    public HttpRequest request(String baseUrl, String key, String model, String userText) {
      ObjectNode body = base(model, userText);
      body.put("max_tokens", 1024);
      return Calls.anthropicMessages(baseUrl, key, body.toString());
    }

    @Override
    public String text(SseFrame frame) {
      JsonNode json = frame.json();
      return json != null && "content_block_delta".equals(frame.event())
          ? json.path("delta").path("text").asText("") : "";
    }

    @Override
    public boolean isCleanEnd(SseFrame frame) {
      return "message_stop".equals(frame.event());
    }

    @Override
    public boolean isError(SseFrame frame) {
      JsonNode json = frame.json();
      return "error".equals(frame.event()) && json != null && "error".equals(json.path("type").asText());
    }
  };

  private final String requestIdHeader;

  StreamingClient(String requestIdHeader) {
    this.requestIdHeader = requestIdHeader;
  }

  /** A streaming request with one user message. */
  public abstract HttpRequest request(String baseUrl, String key, String model, String userText);

  /** The answer text this frame adds, or "". */
  public abstract String text(SseFrame frame);

  /** Whether this frame is the API's clean end marker ({@code [DONE]} / {@code message_stop}). */
  public abstract boolean isCleanEnd(SseFrame frame);

  /** Whether this frame is an in-band error event. */
  public abstract boolean isError(SseFrame frame);

  /** The {@code error.type} of an in-band error frame or of an error response body; same place in both APIs. */
  public static String errorType(JsonNode errorBody) {
    return errorBody.at("/error/type").asText(null);
  }

  /** The request id under the header name this API's clients read. */
  public String requestId(HttpResponse<?> response) {
    return response.headers().firstValue(requestIdHeader)
        .orElseThrow(() -> new AssertionError("no " + requestIdHeader + " header"));
  }

  /** Starts the call and returns once the response headers are in; the body is read as it arrives. */
  public HttpResponse<InputStream> open(TestGateway gateway, String key, String model, String userText) {
    try {
      return gateway.http().send(request(gateway.url(), key, model, userText), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Makes the call and reads the whole stream. */
  public StreamedAnswer stream(TestGateway gateway, String key, String model, String userText) {
    HttpResponse<InputStream> response = open(gateway, key, model, userText);
    try (SseReader reader = new SseReader(response.body())) {
      return new StreamedAnswer(this, response.statusCode(),
          response.headers().firstValue("content-type").orElse(""), requestId(response), reader.rest());
    }
  }

  private static ObjectNode base(String model, String userText) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.put("stream", true);
    body.putArray("messages").addObject().put("role", "user").put("content", userText);
    return body;
  }
}
