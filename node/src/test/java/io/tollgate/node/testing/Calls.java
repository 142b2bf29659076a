package io.tollgate.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** Raw HTTP requests to the gateway, for the cases an SDK would refuse to send. */
public final class Calls {
  private Calls() {}

  public static HttpRequest openAiChat(String baseUrl, String key, String body) {
    return post(baseUrl + "/v1/chat/completions", body).header("authorization", "Bearer " + key).build();
  }

  public static HttpRequest anthropicMessages(String baseUrl, String key, String body) {
    return post(baseUrl + "/v1/messages", body).header("x-api-key", key).header("anthropic-version", "2023-06-01").build();
  }

  public static HttpRequest.Builder post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Any call to {@code url}: bearer {@code token} (null: none), JSON {@code body} (null: none). */
  public static HttpRequest.Builder request(String url, String method, String token, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return b;
  }

  public static String chatBody(String model, String userText) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
  }

  /** A chat body with {@code max_tokens}, readable by both the OpenAI and the Anthropic API. */
  public static String chatBody(String model, String userText, int maxTokens) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
  }

  public static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }
}
