package io.tollgate.node.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.Behaviour;
import io.tollgate.fake.Behaviour.Failure;
import io.tollgate.node.testing.Calls;
import io.tollgate.node.testing.SseFrame;
import io.tollgate.node.testing.SseReader;
import io.tollgate.node.testing.StreamingClient;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant fairness on one node: one tenant's flood of slow streams cannot take the provider
 * connections from the others, one tenant's request-specific 429s do not close a shared deployment,
 * a tenant's routing policy fails closed, and what tenants are told names no deployment and no
 * operator's note. The node's pool to the fake provider is 8 connections, a tenant's share a
 * quarter of it: 2 calls in flight.
 */
class TenantFairnessTest {
  private static final String PRICE = "price { input = 1.0, output = 2.0 }";
  private static final String KEYSPACE_SUFFIX = "fair";
  /** About 6 s per stream: long enough to stay open while the other calls are made. */
  private static final String SLOW_STREAM = "[[fake:chunks=60,delay=100]] tell a long story";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static FailoverCluster cluster;

  @BeforeAll
  static void start() {
    cluster = FailoverCluster.start(1, String.join("\n",
        "tollgate.upstream { max-connections = 8, tenant-share = 0.25 }",
        "tollgate.circuits { consecutive-failures = 5, open-for = 1s, probes-to-close = 2 }",
        "tollgate.routing.max-retry-wait = 0s",
        "tollgate.models {",
        "  shared-slow { id = fair-slow, provider = fake-openai, upstream-model = fair-slow, " + PRICE + " }",
        "  limited { id = limited-dep, provider = fake-openai, upstream-model = limited-dep, " + PRICE + " }",
        "  noted { id = noted-dep, provider = fake-openai, upstream-model = noted-dep, " + PRICE + " }",
        "  both-fail { strategy = priority, deployments = ["
            + "{ id = fail-first-dep, provider = fake-openai, upstream-model = fail-first-dep, priority = 1, " + PRICE + " }, "
            + "{ id = fail-second-dep, provider = fake-anthropic, upstream-model = fail-second-dep, priority = 2, " + PRICE + " }] }",
        "  policed { strategy = priority, deployments = ["
            + "{ id = policed-a, provider = fake-openai, upstream-model = policed-a, priority = 1, " + PRICE + " }, "
            + "{ id = policed-b, provider = fake-openai, upstream-model = policed-b, priority = 2, " + PRICE + " }] }",
        "}"), KEYSPACE_SUFFIX);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void healthyProvider() {
    cluster.fake.clearModelBehaviours();
  }

  @Test
  void a_tenant_flooding_slow_streams_gets_429_past_its_share_while_another_tenant_is_served() throws Exception {
    FailoverCluster.Tenant flooder = cluster.newTenant();
    FailoverCluster.Tenant other = cluster.newTenant();
    // warm the path and the node's pool to the provider first (the provider's headers must come within 3 s)
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.chat(0, other.key(), "shared-slow", "warm up").statusCode() == 200);
    assertThat(cluster.stream(0, flooder.key(), "shared-slow", "warm up").endedCleanly()).isTrue();
    // more streams at once than the node has connections to the provider: without shares they
    // would hold the whole pool for seconds and the other tenant's calls would wait past their timeout
    List<CompletableFuture<HttpResponse<InputStream>>> flood = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      flood.add(HTTP.sendAsync(StreamingClient.OPENAI.request(cluster.url(0), flooder.key(), "shared-slow", SLOW_STREAM),
          HttpResponse.BodyHandlers.ofInputStream()));
    }
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    for (CompletableFuture<HttpResponse<InputStream>> call : flood) {
      HttpResponse<InputStream> r = call.get(30, TimeUnit.SECONDS);
      if (r.statusCode() == 200) {
        open.add(r);
      } else {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).contains("1");
        try (InputStream body = r.body()) {
          JsonNode error = Calls.json(new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).path("error");
          assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
          assertThat(error.path("code").asText()).isEqualTo("tenant_concurrency_exceeded");
        }
      }
    }
    assertThat(open).as("the flooding tenant's share: a quarter of 8 connections").hasSize(2);

    HttpResponse<String> refused = cluster.chat(0, flooder.key(), "shared-slow", "one more");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).contains("1");
    JsonNode openAiError = Calls.json(refused.body()).path("error");
    assertThat(openAiError.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(openAiError.path("code").asText()).isEqualTo("tenant_concurrency_exceeded");
    HttpResponse<String> refusedAnthropic = FailoverCluster.send(Calls.anthropicMessages(cluster.url(0), flooder.key(),
        "{\"model\":\"shared-slow\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"one more\"}]}"));
    assertThat(refusedAnthropic.statusCode()).isEqualTo(429);
    JsonNode anthropicError = Calls.json(refusedAnthropic.body());
    assertThat(anthropicError.path("type").asText()).isEqualTo("error");
    assertThat(anthropicError.path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(refusedAnthropic.headers().firstValue("retry-after")).isPresent();

    HttpResponse<String> served = cluster.chat(0, other.key(), "shared-slow", "hello");
    assertThat(served.statusCode()).as("another tenant, same deployment, same pool").isEqualTo(200);
    FailoverCluster.Streamed otherStream = cluster.stream(0, other.key(), "shared-slow", "hello");
    assertThat(otherStream.status()).isEqualTo(200);
    assertThat(otherStream.endedCleanly()).isTrue();

    for (HttpResponse<InputStream> stream : open) {
      List<SseFrame> frames = readAll(stream);
      assertThat(frames).isNotEmpty();
      assertThat(StreamingClient.OPENAI.isCleanEnd(frames.get(frames.size() - 1)))
          .as("the flooding tenant's own streams are served in full").isTrue();
    }
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> cluster.chat(0, flooder.key(), "shared-slow", "hello again").statusCode() == 200);
  }

  @Test
  void a_429_about_one_request_leaves_the_circuit_closed_and_an_account_wide_429_opens_it() {
    FailoverCluster.Tenant tenant = cluster.newTenant();
    cluster.fake.setBehaviour("limited-dep", Behaviour.defaults().withFailure(Failure.STATUS_429_REQUEST));
    for (int i = 0; i < 6; i++) {
      HttpResponse<String> r = cluster.chat(0, tenant.key(), "limited", "a very large request");
      assertThat(r.statusCode()).as("call %d still reaches the provider", i).isEqualTo(429);
      assertThat(r.body()).doesNotContain("fake provider").doesNotContain("limited-dep");
    }
    assertThat(cluster.fake.requestCount("limited-dep")).isEqualTo(6);
    assertThat(phase("limited-dep")).isEqualTo("closed");

    cluster.fake.setBehaviour("limited-dep",
        Behaviour.defaults().withFailure(Failure.STATUS_429).withRetryAfterSeconds(30));
    assertThat(cluster.chat(0, tenant.key(), "limited", "hello").statusCode()).isEqualTo(429);
    HttpResponse<String> afterwards = cluster.chat(0, tenant.key(), "limited", "hello");
    assertThat(afterwards.statusCode()).isEqualTo(503);
    assertThat(Calls.json(afterwards.body()).path("error").path("code").asText()).isEqualTo("no_healthy_deployment");
    assertThat(cluster.fake.requestCount("limited-dep")).isEqualTo(7);
    cluster.admin(0, "POST", "/admin/circuits/close?deployment=limited-dep", null, 200);
  }

  @Test
  void errors_tenants_receive_name_no_deployment_and_no_operator_note() {
    FailoverCluster.Tenant tenant = cluster.newTenant();
    cluster.admin(0, "POST", "/admin/circuits/open?deployment=noted-dep",
        "{\"seconds\": 60, \"reason\": \"OPS-4711 vendor contract lapsed\"}", 200);
    await().atMost(Duration.ofSeconds(2)).until(() -> phase("noted-dep").equals("open"));
    HttpResponse<String> openAi = cluster.chat(0, tenant.key(), "noted", "hello");
    assertThat(openAi.statusCode()).isEqualTo(503);
    assertThat(openAi.headers().firstValue("retry-after")).isPresent();
    HttpResponse<String> anthropic = FailoverCluster.send(Calls.anthropicMessages(cluster.url(0), tenant.key(),
        "{\"model\":\"noted\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}"));
    assertThat(anthropic.statusCode()).isEqualTo(503);
    assertThat(Calls.json(anthropic.body()).path("type").asText()).isEqualTo("error");
    for (HttpResponse<String> r : List.of(openAi, anthropic)) {
      assertThat(r.body()).doesNotContain("noted-dep").doesNotContain("OPS-4711").doesNotContain("fake-openai");
    }

    cluster.admin(0, "PUT", "/admin/tenants/" + tenant.id() + "/routing", "{\"pinned\": {\"policed\": \"policed-b\"}}", 200);
    cluster.admin(0, "POST", "/admin/circuits/open?deployment=policed-b",
        "{\"seconds\": 60, \"reason\": \"OPS-4712 pinned deployment drained\"}", 200);
    await().atMost(Duration.ofSeconds(2)).until(() -> phase("policed-b").equals("open"));
    HttpResponse<String> pinned = cluster.chat(0, tenant.key(), "policed", "hello");
    assertThat(pinned.statusCode()).isEqualTo(503);
    assertThat(pinned.body()).doesNotContain("policed-a").doesNotContain("policed-b").doesNotContain("OPS-4712")
        .doesNotContain("pinned");

    cluster.fake.setBehaviour("fail-first-dep", Behaviour.defaults().withFailure(Failure.STATUS_500));
    cluster.fake.setBehaviour("fail-second-dep", Behaviour.defaults().withFailure(Failure.STATUS_529));
    HttpResponse<String> allFailed = cluster.chat(0, tenant.key(), "both-fail", "hello");
    assertThat(allFailed.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(Calls.json(allFailed.body()).path("error").path("message").asText()).isNotBlank();
    assertThat(allFailed.body()).doesNotContain("fail-first-dep").doesNotContain("fail-second-dep")
        .doesNotContain("fake-").doesNotContain("Sorry about that").doesNotContain("overloaded, please");
    cluster.admin(0, "POST", "/admin/circuits/close?deployment=noted-dep", null, 200);
    cluster.admin(0, "POST", "/admin/circuits/close?deployment=policed-b", null, 200);
  }

  @Test
  void a_routing_policy_that_cannot_be_read_refuses_the_tenants_calls_instead_of_ignoring_the_policy() {
    FailoverCluster.Tenant tenant = cluster.newTenant();
    try (CqlSession cql = cql()) {
      long routedBefore = cluster.fake.requestCount("fair-slow");
      cql.execute("DROP TABLE tollgate_" + KEYSPACE_SUFFIX + ".tenant_routing");
      try {
        HttpResponse<String> refused = cluster.chat(0, tenant.key(), "shared-slow", "hello");
        assertThat(refused.statusCode()).isEqualTo(503);
        JsonNode error = Calls.json(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("routing_policy_unavailable");
        assertThat(cluster.fake.requestCount("fair-slow")).as("nothing was routed").isEqualTo(routedBefore);
      } finally {
        cql.execute("CREATE TABLE IF NOT EXISTS tollgate_" + KEYSPACE_SUFFIX + ".tenant_routing ("
            + " tenant_id text, allowed_deployments map<text, frozen<list<text>>>, pinned map<text, text>,"
            + " strategy_keys list<text>, updated_at timestamp, PRIMARY KEY (tenant_id))");
      }
    }
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> cluster.chat(0, tenant.key(), "shared-slow", "hello").statusCode() == 200);
  }

  private static CqlSession cql() {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of(TestCassandra.contactPoint()))
        .withString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, "datacenter1")
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
        .build();
    return CqlSession.builder().withConfigLoader(config).build();
  }

  private static List<SseFrame> readAll(HttpResponse<InputStream> stream) throws IOException {
    try (SseReader reader = new SseReader(stream.body())) {
      return CompletableFuture.supplyAsync(reader::rest).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the stream did not end", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String phase(String deployment) {
    JsonNode circuits = cluster.admin(0, "GET", "/admin/circuits", null, 200);
    for (JsonNode c : circuits.path("data")) {
      if (c.path("deployment").asText().equals(deployment)) {
        return c.path("phase").asText();
      }
    }
    throw new AssertionError("no circuit " + deployment + " in " + circuits);
  }
}
