package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Chat Completions calls (plain and streamed with {@code stream_options.include_usage}) that keep
 * what the client received: status, request id, the reported usage. Blocking: call it from the
 * test's own client threads.
 */
public final class AccountingClient {
  private final HttpClient http;
  private final String model;

  public AccountingClient(HttpClient http, String model) {
    this.http = http;
    this.model = model;
  }

  public String model() {
    return model;
  }

  /** A non-streamed call with {@code maxTokens}; the usage comes from the body. */
  public ReceivedAnswer call(int node, String baseUrl, String key, String text, int maxTokens) {
    Instant sentAt = Instant.now();
    try {
      HttpResponse<String> r = http.send(request(baseUrl, key, body(text, maxTokens, false)),
          HttpResponse.BodyHandlers.ofString());
      JsonNode json = parse(r.body());
      return answer(key, node, sentAt, r.statusCode(), requestId(r), json == null ? null : json.get("usage"),
          false, false, json == null ? null : json.at("/error/type").asText(null));
    } catch (IOException e) {
      return unanswered(key, node, sentAt, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A streamed call read to its end; the usage comes from the final usage chunk. */
  public ReceivedAnswer stream(int node, String baseUrl, String key, String text, int maxTokens) {
    Instant sentAt = Instant.now();
    try {
      HttpResponse<InputStream> r = http.send(request(baseUrl, key, body(text, maxTokens, true)),
          HttpResponse.BodyHandlers.ofInputStream());
      JsonNode usage = null;
      boolean clean = false;
      String error = null;
      try (SseReader reader = new SseReader(r.body())) {
        for (SseFrame f = reader.next(); f != null; f = reader.next()) {
          JsonNode json = f.json();
          clean |= StreamingClient.OPENAI.isCleanEnd(f);
          if (json != null && json.path("usage").isObject()) {
            usage = json.get("usage");
          }
          if (json != null && json.path("error").isObject()) {
            error = json.at("/error/type").asText(null);
          }
        }
      } catch (RuntimeException cut) {
        error = error == null ? "client: " + cut.getClass().getSimpleName() : error;
      }
      return answer(key, node, sentAt, r.statusCode(), requestId(r), usage, true, clean, error);
    } catch (IOException e) {
      return unanswered(key, node, sentAt, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private ReceivedAnswer answer(String key, int node, Instant sentAt, int status, String requestId, JsonNode usage,
      boolean streamed, boolean clean, String error) {
    boolean has = usage != null && usage.isObject();
    return new ReceivedAnswer(key, node, sentAt, Instant.now(), status, requestId, has,
        has ? usage.path("prompt_tokens").asLong() : 0,
        has ? usage.path("prompt_tokens_details").path("cached_tokens").asLong() : 0,
        has ? usage.path("completion_tokens").asLong() : 0,
        streamed, clean, error);
  }

  private static ReceivedAnswer unanswered(String key, int node, Instant sentAt, boolean streamed) {
    return new ReceivedAnswer(key, node, sentAt, Instant.now(), 0, null, false, 0, 0, 0, streamed, false, null);
  }

  private HttpRequest request(String baseUrl, String key, String body) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
        .timeout(Duration.ofMinutes(3))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private String body(String text, int maxTokens, boolean stream) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("model", model);
    body.put("max_tokens", maxTokens);
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    return body.toString();
  }

  private static String requestId(HttpResponse<?> r) {
    return r.headers().firstValue("x-request-id").orElse(null);
  }

  private static JsonNode parse(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException notJson) {
      return null;
    }
  }
}
