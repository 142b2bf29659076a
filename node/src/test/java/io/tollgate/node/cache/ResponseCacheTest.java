package io.tollgate.node.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tollgate.node.cache.CacheCluster.Streamed;
import io.tollgate.node.cache.CacheCluster.Tenant;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.protocol.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The response cache on three nodes in one JVM, a real Cassandra and the fake provider: hits are
 * the original answer in either API, whole or streamed; tenants and answer-shaping fields keep
 * entries apart; identical concurrent calls make one provider call; failed, cut and truncated
 * answers are not stored; a hit costs nothing but counts as a request; a cache that is down is bypassed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResponseCacheTest {
  private static final String EXACT = "{\"mode\":\"exact\",\"ttl_seconds\":600}";
  private static CacheCluster cluster;

  @BeforeAll
  static void start() {
    cluster = CacheCluster.start(3);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void a_hit_is_the_original_answer_whole_or_streamed_in_both_client_apis() {
    Tenant t = cluster.newTenant(EXACT);
    for (Api api : Api.values()) {
      String prompt = marker("whole first");
      HttpResponse<String> original = whole(0, t, api, body(api, prompt, false));
      HttpResponse<String> again = whole(1, t, api, body(api, prompt, false));
      Streamed replayed = streamed(2, t, api, body(api, prompt, true));

      assertThat(original.statusCode()).as(original.body()).isEqualTo(200);
      assertThat(header(original)).isEqualTo("MISS");
      assertThat(header(again)).as(api + " whole hit").isEqualTo("HIT");
      assertThat(api.content(Calls.json(again.body()))).isEqualTo(api.content(Calls.json(original.body())));
      assertThat(api.id(Calls.json(again.body()))).as("a fresh id").isNotEqualTo(api.id(Calls.json(original.body())));
      assertThat(replayed.cache()).as(api + " streamed hit").isEqualTo("HIT");
      assertThat(api.streamedText(replayed.frames())).isEqualTo(api.text(Calls.json(original.body())));
      assertThat(api.cleanEnd(replayed.frames())).isTrue();
      assertThat(replayed.frames().stream().filter(f -> !api.streamedText(List.of(f)).isEmpty()).count())
          .as("replayed chunk by chunk").isGreaterThan(1);
      assertThat(cluster.providerCalls(prompt)).isEqualTo(1);

      String streamedFirst = marker("stream first");
      Streamed originalStream = streamed(0, t, api, body(api, streamedFirst, true));
      Streamed againStream = streamed(1, t, api, body(api, streamedFirst, true));
      HttpResponse<String> wholeHit = whole(2, t, api, body(api, streamedFirst, false));

      assertThat(originalStream.cache()).isEqualTo("MISS");
      assertThat(againStream.cache()).isEqualTo("HIT");
      assertThat(api.streamedText(againStream.frames())).isEqualTo(api.streamedText(originalStream.frames()));
      assertThat(api.finish(againStream.frames())).isEqualTo(api.finish(originalStream.frames()));
      assertThat(header(wholeHit)).isEqualTo("HIT");
      assertThat(api.text(Calls.json(wholeHit.body()))).isEqualTo(api.streamedText(originalStream.frames()));
      assertThat(cluster.providerCalls(streamedFirst)).isEqualTo(1);
    }
  }

  @Test
  @Order(2)
  void tool_call_answers_are_stored_only_where_the_tenant_allows() {
    Tenant allows = cluster.newTenant("{\"mode\":\"exact\",\"cache_tool_calls\":true}");
    Tenant refuses = cluster.newTenant(EXACT);
    String prompt = marker("weather");
    String body = toolBody(prompt);

    HttpResponse<String> original = whole(0, allows, Api.OPENAI, body);
    HttpResponse<String> hit = whole(1, allows, Api.OPENAI, body);
    whole(0, refuses, Api.OPENAI, body);
    HttpResponse<String> notStored = whole(1, refuses, Api.OPENAI, body);

    assertThat(Calls.json(original.body()).at("/choices/0/message/tool_calls")).isNotEmpty();
    assertThat(header(hit)).isEqualTo("HIT");
    assertThat(Api.OPENAI.content(Calls.json(hit.body()))).isEqualTo(Api.OPENAI.content(Calls.json(original.body())));
    assertThat(header(notStored)).isEqualTo("MISS");
  }

  @Test
  @Order(3)
  void another_tenant_or_an_answer_shaping_field_misses_and_an_end_user_id_does_not() {
    Tenant a = cluster.newTenant(EXACT);
    Tenant b = cluster.newTenant(EXACT);
    Tenant off = cluster.newTenant(null);
    String prompt = marker("isolation");
    ObjectNode base = (ObjectNode) Calls.json(Calls.chatBody("demo-openai", prompt));

    whole(0, a, Api.OPENAI, base.toString());
    HttpResponse<String> otherTenant = whole(0, b, Api.OPENAI, base.toString());
    HttpResponse<String> cacheOff = whole(0, off, Api.OPENAI, base.toString());
    HttpResponse<String> warmer = whole(1, a, Api.OPENAI, base.deepCopy().put("temperature", 0.9).toString());
    HttpResponse<String> otherUser = whole(2, a, Api.OPENAI, base.deepCopy().put("user", "someone-else").toString());

    assertThat(header(otherTenant)).isEqualTo("MISS");
    assertThat(cacheOff.headers().firstValue("x-tollgate-cache")).as("cache off: no cache header").isEmpty();
    assertThat(header(warmer)).isEqualTo("MISS");
    assertThat(header(otherUser)).isEqualTo("HIT");
    assertThat(otherUser.headers().map().keySet()).noneMatch(h -> h.contains("cache-key"));
  }

  @Test
  @Order(4)
  void identical_concurrent_calls_across_three_nodes_make_one_provider_call() throws Exception {
    Tenant t = cluster.newTenant(EXACT);
    String prompt = marker("coalesce [[fake:latency=2000]]");
    String body = Calls.chatBody("demo-openai", prompt);
    int calls = 50;
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int node = i % cluster.size();
        answers.add(CompletableFuture.supplyAsync(() -> whole(node, t, Api.OPENAI, body), pool));
      }
      List<HttpResponse<String>> all = answers.stream().map(CompletableFuture::join).toList();

      assertThat(all).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
      assertThat(all.stream().map(r -> Api.OPENAI.content(Calls.json(r.body()))).distinct()).hasSize(1);
      assertThat(all.stream().filter(r -> header(r).equals("MISS")).count()).isEqualTo(1);
      assertThat(all.stream().filter(r -> header(r).equals("HIT")).count()).isEqualTo(calls - 1);
      assertThat(cluster.providerCalls(prompt)).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Order(5)
  void a_failing_leader_releases_its_followers_and_nothing_is_stored() throws Exception {
    Tenant t = cluster.newTenant(EXACT);
    String prompt = marker("failing [[fake:latency=1500,fail=500]]");
    String body = Calls.chatBody("demo-openai", prompt);
    int calls = 6;
    ExecutorService pool = Executors.newFixedThreadPool(calls);
    try {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int node = i % cluster.size();
        answers.add(CompletableFuture.supplyAsync(() -> whole(node, t, Api.OPENAI, body), pool));
      }
      // followers that were never released would wait the single-flight wait (60 s), past the client's 30 s timeout
      List<HttpResponse<String>> all = answers.stream().map(CompletableFuture::join).toList();

      assertThat(all).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(500));
      assertThat(all).noneSatisfy(r -> assertThat(header(r)).isEqualTo("HIT"));
      assertThat(cluster.providerCalls(prompt)).as("each released follower called the provider").isEqualTo(calls);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Order(6)
  void cut_errored_and_truncated_answers_are_not_stored() {
    Tenant t = cluster.newTenant(EXACT);
    for (Api api : Api.values()) {
      for (String directive : List.of("[[fake:cut=3]]", "[[fake:inband-error=3]]")) {
        String prompt = marker("broken " + directive);
        Streamed broken = streamed(0, t, api, body(api, prompt, true));
        Streamed again = streamed(1, t, api, body(api, prompt, true));

        assertThat(api.cleanEnd(broken.frames())).as(api + " " + directive).isFalse();
        assertThat(again.cache()).as(api + " " + directive).isEqualTo("MISS");
      }
    }
    String truncated = marker("truncated");
    String capped = Calls.chatBody("demo-openai", truncated + " one two three four five six", 3);
    HttpResponse<String> first = whole(0, t, Api.OPENAI, capped);
    HttpResponse<String> second = whole(1, t, Api.OPENAI, capped);

    assertThat(Calls.json(first.body()).at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(header(second)).isEqualTo("MISS");
  }

  @Test
  @Order(7)
  void a_hit_costs_nothing_and_counts_toward_the_requests_per_minute_limit() {
    Tenant t = cluster.newTenant(EXACT);
    cluster.admin("PUT", "/admin/tenants/" + t.id() + "/limits",
        "{\"limits\":[{\"scope\":\"tenant\",\"kind\":\"requests_per_minute\",\"amount\":3}]}", 200);
    String body = Calls.chatBody("demo-openai", marker("rpm"));
    awaitEarlyInAMinute();

    HttpResponse<String> miss = whole(0, t, Api.OPENAI, body);
    HttpResponse<String> hit = whole(0, t, Api.OPENAI, body);
    HttpResponse<String> hit2 = whole(0, t, Api.OPENAI, body);
    HttpResponse<String> overLimit = whole(0, t, Api.OPENAI, body);

    assertThat(header(miss)).isEqualTo("MISS");
    assertThat(header(hit)).isEqualTo("HIT");
    assertThat(hit.headers().firstValue("x-tollgate-cost-usd")).hasValueSatisfying(v -> assertThat(Double.parseDouble(v)).isZero());
    assertThat(header(hit2)).isEqualTo("HIT");
    assertThat(overLimit.statusCode()).as(overLimit.body()).isEqualTo(429);
    String hitId = hit.headers().firstValue("x-request-id").orElseThrow();
    String missId = miss.headers().firstValue("x-request-id").orElseThrow();
    JsonNode hitRecord = auditRecord(t, hitId);
    JsonNode missRecord = auditRecord(t, missId);
    assertThat(hitRecord.get("cache").asText()).isEqualTo("hit");
    assertThat(hitRecord.get("cost_micros").asLong()).isZero();
    assertThat(hitRecord.get("input_tokens").asLong() + hitRecord.get("output_tokens").asLong()).isZero();
    assertThat(missRecord.get("cache").asText()).isEqualTo("miss");
    assertThat(hitRecord.get("cache_saved_usd").asText()).isEqualTo(missRecord.get("cost_usd").asText());
  }

  @Test
  @Order(8)
  void cache_control_skips_refreshes_or_limits_the_age_of_stored_answers() {
    Tenant t = cluster.newTenant(EXACT);
    String prompt = marker("control");
    String body = Calls.chatBody("demo-openai", prompt);

    HttpResponse<String> stored = whole(0, t, Api.OPENAI, body);
    HttpResponse<String> noStore = CacheCluster.send(withCacheControl(1, t, body, "no-store"));
    HttpResponse<String> tooOld = CacheCluster.send(withCacheControl(2, t, body, "max-age=0"));
    HttpResponse<String> refresh = CacheCluster.send(withCacheControl(0, t, body, "no-cache"));
    HttpResponse<String> fresh = CacheCluster.send(withCacheControl(1, t, body, "max-age=600"));

    assertThat(header(stored)).isEqualTo("MISS");
    assertThat(header(noStore)).isEqualTo("BYPASS");
    assertThat(header(tooOld)).isEqualTo("MISS");
    assertThat(header(refresh)).isEqualTo("REFRESH");
    assertThat(header(fresh)).isEqualTo("HIT");
    assertThat(fresh.headers().firstValue("x-tollgate-cache-age")).hasValueSatisfying(
        age -> assertThat(Long.parseLong(age)).isBetween(0L, 600L));
    assertThat(cluster.providerCalls(prompt)).isEqualTo(4);
  }

  @Test
  @Order(100)
  void a_cache_whose_table_is_gone_is_bypassed_and_the_call_still_answers() {
    Tenant t = cluster.newTenant(EXACT);
    var session = CassandraSessionRegistry.get(cluster.node(0).system())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    session.executeDDL("DROP TABLE IF EXISTS " + CacheCluster.KEYSPACE + ".cache_entries").toCompletableFuture().join();

    HttpResponse<String> answer = whole(1, t, Api.OPENAI, Calls.chatBody("demo-openai", marker("cache down")));

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(header(answer)).isEqualTo("BYPASS");
  }

  // --- helpers --------------------------------------------------------------------------------

  private static String marker(String what) {
    return what + " " + UUID.randomUUID();
  }

  private static String header(HttpResponse<?> r) {
    return r.headers().firstValue("x-tollgate-cache").orElse("");
  }

  private static HttpResponse<String> whole(int node, Tenant t, Api api, String body) {
    return CacheCluster.send(api.request(cluster.url(node), t.key(), body));
  }

  private static HttpRequest withCacheControl(int node, Tenant t, String body, String control) {
    return Calls.post(cluster.url(node) + "/v1/chat/completions", body)
        .header("authorization", "Bearer " + t.key()).header("cache-control", control).build();
  }

  private static Streamed streamed(int node, Tenant t, Api api, String body) {
    return CacheCluster.stream(api.request(cluster.url(node), t.key(), body));
  }

  private static String body(Api api, String prompt, boolean stream) {
    ObjectNode b = (ObjectNode) Calls.json(Calls.chatBody(api.model, prompt, 64));
    if (stream) {
      b.put("stream", true);
      if (api == Api.OPENAI) {
        b.putObject("stream_options").put("include_usage", true);
      }
    }
    return b.toString();
  }

  private static String toolBody(String prompt) {
    ObjectNode b = (ObjectNode) Calls.json(Calls.chatBody("demo-openai", prompt));
    ObjectNode fn = b.putArray("tools").addObject().put("type", "function").putObject("function");
    fn.put("name", "weather").putObject("parameters").put("type", "object")
        .putObject("properties").putObject("city").put("type", "string");
    b.put("tool_choice", "required");
    return b.toString();
  }

  private static JsonNode auditRecord(Tenant t, String requestId) {
    String day = LocalDate.now(ZoneOffset.UTC).toString();
    JsonNode[] found = new JsonNode[1];
    Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
      found[0] = cluster.admin("GET", "/admin/tenants/" + t.id() + "/audit/" + requestId + "?day=" + day, null, 200);
      return true;
    });
    return found[0].has("record") ? found[0].get("record") : found[0];
  }

  /** Waits out the last 20 s of a UTC minute, so four calls land in one minute. */
  private static void awaitEarlyInAMinute() {
    Awaitility.await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200))
        .until(() -> Instant.now().atZone(ZoneOffset.UTC).getSecond() < 40);
  }

  /** A client API: how to call it and read the answer's content out of what comes back. */
  private enum Api {
    OPENAI("demo-openai") {
      HttpRequest request(String url, String key, String body) {
        return Calls.openAiChat(url, key, body);
      }

      JsonNode content(JsonNode whole) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.set("message", whole.at("/choices/0/message"));
        c.set("finish_reason", whole.at("/choices/0/finish_reason"));
        return c;
      }

      String text(JsonNode whole) {
        return whole.at("/choices/0/message/content").asText("");
      }

      String id(JsonNode whole) {
        return whole.path("id").asText();
      }

      String streamedText(List<SseFrame> frames) {
        StringBuilder out = new StringBuilder();
        frames.forEach(f -> {
          JsonNode j = f.json();
          if (j != null) {
            out.append(j.at("/choices/0/delta/content").asText(""));
          }
        });
        return out.toString();
      }

      String finish(List<SseFrame> frames) {
        return frames.stream().map(SseFrame::json).filter(j -> j != null && j.at("/choices/0/finish_reason").isTextual())
            .map(j -> j.at("/choices/0/finish_reason").asText()).findFirst().orElse(null);
      }

      boolean cleanEnd(List<SseFrame> frames) {
        return !frames.isEmpty() && frames.get(frames.size() - 1).data().trim().equals("[DONE]");
      }
    },
    ANTHROPIC("demo-anthropic") {
      HttpRequest request(String url, String key, String body) {
        return Calls.anthropicMessages(url, key, body);
      }

      JsonNode content(JsonNode whole) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.set("content", whole.path("content"));
        c.set("stop_reason", whole.path("stop_reason"));
        return c;
      }

      String text(JsonNode whole) {
        StringBuilder out = new StringBuilder();
        for (JsonNode block : (ArrayNode) whole.path("content")) {
          out.append(block.path("text").asText(""));
        }
        return out.toString();
      }

      String id(JsonNode whole) {
        return whole.path("id").asText();
      }

      String streamedText(List<SseFrame> frames) {
        StringBuilder out = new StringBuilder();
        frames.forEach(f -> {
          JsonNode j = f.json();
          if (j != null && "content_block_delta".equals(f.event())) {
            out.append(j.at("/delta/text").asText(""));
          }
        });
        return out.toString();
      }

      String finish(List<SseFrame> frames) {
        return frames.stream().filter(f -> "message_delta".equals(f.event())).map(f -> f.json().at("/delta/stop_reason").asText())
            .findFirst().orElse(null);
      }

      boolean cleanEnd(List<SseFrame> frames) {
        return !frames.isEmpty() && "message_stop".equals(frames.get(frames.size() - 1).event());
      }
    };

    final String model;

    Api(String model) {
      this.model = model;
    }

    abstract HttpRequest request(String url, String key, String body);

    abstract JsonNode content(JsonNode whole);

    abstract String text(JsonNode whole);

    abstract String id(JsonNode whole);

    abstract String streamedText(List<SseFrame> frames);

    abstract String finish(List<SseFrame> frames);

    abstract boolean cleanEnd(List<SseFrame> frames);
  }
}
