package io.tollgate.fake;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.protocol.Json;
import io.tollgate.protocol.sse.SseEvent;
import io.tollgate.protocol.sse.SseParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** A plain java.net.http client for the fake provider, plus SSE and JSON helpers. */
final class FakeHttp {
  static final String KEY = FakeProviderSettings.DEFAULT_API_KEY;
  static final String OPENAI_CHAT = "/v1/chat/completions";
  static final String ANTHROPIC_MESSAGES = "/v1/messages";
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  /** What a client read from a body: the text, and whether the connection broke before its end. */
  record Body(String text, boolean brokenOff) {}

  private FakeHttp() {}

  static HttpResponse<String> post(String url, String body, String... headers) {
    return send(request(url, body, Duration.ofSeconds(20), headers), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String url, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<InputStream> postForStream(String url, String body, String... headers) {
    return send(request(url, body, Duration.ofSeconds(20), headers), HttpResponse.BodyHandlers.ofInputStream());
  }

  static HttpRequest request(String url, String body, Duration timeout, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .timeout(timeout)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return CLIENT.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpClient client() {
    return CLIENT;
  }

  /** Reads to the end; a connection that breaks mid-body is reported, not thrown. */
  static Body readAll(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    boolean broken = false;
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      broken = true;
    }
    return new Body(out.toString(StandardCharsets.UTF_8), broken);
  }

  static List<SseEvent> sse(String body) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(body.getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.finish());
    return events;
  }

  static List<JsonNode> dataJson(List<SseEvent> events) {
    List<JsonNode> out = new ArrayList<>();
    for (SseEvent e : events) {
      if (!e.data().equals("[DONE]")) {
        out.add(json(e.data()));
      }
    }
    return out;
  }

  static JsonNode json(String s) {
    try {
      return Json.MAPPER.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isJson(String s) {
    try {
      Json.MAPPER.readTree(s);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until the condition holds, polling; fails after the timeout. */
  static void await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }

  /** The path of a Gemini model action, e.g. {@code generateContent}. */
  static String gemini(String model, String action) {
    return "/v1beta/models/" + model + ":" + action;
  }

  /** Posts a one-question chat in the dialect's own shape, with the fake's key, to the fake at {@code baseUrl}. */
  static HttpResponse<String> chat(String baseUrl, Dialect dialect, boolean stream, String userText) {
    return switch (dialect) {
      case OPENAI -> post(baseUrl + OPENAI_CHAT, openAiChat(stream, userText), openAiAuth());
      case AZURE -> post(baseUrl + "/openai/deployments/fake/chat/completions?api-version=2024-10-21",
          openAiChat(stream, userText), "api-key", KEY);
      case ANTHROPIC -> post(baseUrl + ANTHROPIC_MESSAGES, anthropicChat(stream, userText), anthropicAuth());
      case GEMINI -> post(baseUrl + gemini("m", stream ? "streamGenerateContent?alt=sse" : "generateContent"),
          geminiChat(userText), geminiAuth());
    };
  }

  static String openAiChat(boolean stream, String userText) {
    return "{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":"
        + FakeJson.quote(userText) + "}]}";
  }

  static String anthropicChat(boolean stream, String userText) {
    return "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":" + stream
        + ",\"system\":\"be brief\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
        + FakeJson.quote(userText) + "}]}]}";
  }

  static String geminiChat(String userText) {
    return "{\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":" + FakeJson.quote(userText) + "}]}]}";
  }

  static String[] openAiAuth() {
    return new String[] {"authorization", "Bearer " + KEY};
  }

  static String[] anthropicAuth() {
    return new String[] {"x-api-key", KEY, "anthropic-version", "2023-06-01"};
  }

  static String[] geminiAuth() {
    return new String[] {"x-goog-api-key", KEY};
  }
}
