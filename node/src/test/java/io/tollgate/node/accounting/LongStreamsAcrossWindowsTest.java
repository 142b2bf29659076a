package io.tollgate.node.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.AccountingClient;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.NodeProcess;
import io.tollgate.node.testing.ReceivedAnswer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Long streams that cross a UTC minute boundary on three nodes are billed exactly, in every scope
 * and kind, including the per-minute limits whose leases end with the minute (issue 9, case 1).
 *
 * <p>The three node JVMs of the shared accounting cluster (the budget entity's expiry check every
 * second), one Cassandra, the fake provider in this JVM. A tenant has a daily USD limit,
 * tokens-per-minute and requests-per-minute limits, a team tokens limit and a tight key-scope USD
 * limit. Between 20 and 10 seconds before a minute ends, two {@value #STREAM_SECONDS}-second streams
 * start on every node; short calls go to every node every {@value #SHORT_CALL_EVERY_MS} ms until the
 * streams end. Every lease of the tenant expires with the minute, so the streams outlive their
 * lease's window by well over the other nodes' reconcile grace (10 s): their lease is closed from the
 * audit records while they still run.
 *
 * <p>Then, by what the clients received: every answer has exactly one audit record and was billed
 * what it reported; the answers cost no more than any USD limit; and after the settle interval the
 * ledger equals the audit records to the micro-dollar (and token, and request) for every line of
 * the day and of both minutes.
 */
class LongStreamsAcrossWindowsTest {
  private static final String MODEL = "demo-openai";
  private static final int STREAM_CHUNKS = 90;
  private static final int CHUNK_DELAY_MS = 500;
  private static final int STREAM_SECONDS = STREAM_CHUNKS * CHUNK_DELAY_MS / 1000;
  private static final int STREAM_MAX_TOKENS = 400;
  private static final int SHORT_MAX_TOKENS = 16;
  private static final long SHORT_CALL_EVERY_MS = 300;
  private static final long DAILY_USD_MICROS = 50_000;
  private static final long KEY_USD_MICROS = 1_500;
  private static final long TOKENS_PER_MINUTE = 200_000;
  private static final long REQUESTS_PER_MINUTE = 2_000;
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(30);

  static AccountingCluster env;
  static ClusterOfProcesses cluster;
  static HttpClient http;
  static AccountingAdmin admin;
  static ExecutorService streams;
  static ScheduledExecutorService shortCalls;

  @BeforeAll
  static void start() {
    streams = Executors.newFixedThreadPool(6, daemon("long-stream"));
    // Its entities expire leases within a second of their end (before issue 9 a peer then closed
    // them from the audit while the streams on them were still running).
    env = AccountingCluster.shared("short-calls", 3);
    cluster = env.cluster();
    http = env.http();
    admin = env.admin();
    shortCalls = env.clients();
  }

  @AfterAll
  static void stop() {
    try {
      if (env != null) {
        env.close();
      }
    } finally {
      if (streams != null) {
        streams.shutdownNow();
      }
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void long_streams_across_a_minute_boundary_on_three_nodes_reconcile_exactly() {
    // Given a tenant with daily, per-minute, team and key limits, served by all three nodes
    List<String> urls = cluster.nodes().stream().map(NodeProcess::url).toList();
    String first = urls.get(0);
    String tenant = admin.createTenant(first, "long-" + UUID.randomUUID().toString().substring(0, 8));
    AccountingAdmin.Key red = admin.createKey(first, tenant, "red", "red");
    AccountingAdmin.Key blue = admin.createKey(first, tenant, "blue", null);
    admin.setLimits(first, tenant, "{\"time_zone\":\"" + AccountingAdmin.zoneAtNoon() + "\",\"limits\":["
        + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"" + usd(DAILY_USD_MICROS) + "\"},"
        + "{\"scope\":\"tenant\",\"kind\":\"tokens_per_minute\",\"amount\":" + TOKENS_PER_MINUTE + "},"
        + "{\"scope\":\"tenant\",\"kind\":\"requests_per_minute\",\"amount\":" + REQUESTS_PER_MINUTE + "},"
        + "{\"scope\":\"team:red\",\"kind\":\"tokens\",\"period\":\"daily\",\"amount\":1000000},"
        + "{\"scope\":\"key:" + red.keyId() + "\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\""
        + usd(KEY_USD_MICROS) + "\"}]}");
    admin.awaitEveryNodeServes(urls, tenant, red, blue);
    AccountingClient client = new AccountingClient(http, MODEL);

    // When two long streams start on every node 10 to 20 s before a minute ends, with short calls around them
    Instant boundary = MinuteBoundary.awaitBefore(Duration.ofSeconds(20), Duration.ofSeconds(10));
    ConcurrentLinkedQueue<ReceivedAnswer> received = new ConcurrentLinkedQueue<>();
    for (int n = 0; n < urls.size(); n++) {
      int node = n;
      int[] turn = {0};
      shortCalls.scheduleAtFixedRate(() -> {
        AccountingAdmin.Key key = turn[0]++ % 2 == 0 ? red : blue;
        received.add(client.call(node, urls.get(node), key.secret(), "[[fake:chunks=5]] a short call", SHORT_MAX_TOKENS));
      }, 0, SHORT_CALL_EVERY_MS, TimeUnit.MILLISECONDS);
    }
    List<CompletableFuture<ReceivedAnswer>> running = new ArrayList<>();
    for (int n = 0; n < urls.size(); n++) {
      for (int s = 0; s < 2; s++) {
        int node = n;
        running.add(CompletableFuture.supplyAsync(() -> client.stream(node, urls.get(node), blue.secret(),
            "[[fake:chunks=" + STREAM_CHUNKS + ",delay=" + CHUNK_DELAY_MS + "]] tell a long story",
            STREAM_MAX_TOKENS), streams));
      }
    }
    List<ReceivedAnswer> longStreams = running.stream()
        .map(f -> f.orTimeout(STREAM_SECONDS + 90, TimeUnit.SECONDS).join()).toList();
    // Ends the periodic short calls and waits for the one in progress on each node.
    shortCalls.shutdown();
    Awaitility.await("short calls finished").atMost(Duration.ofSeconds(30)).until(shortCalls::isTerminated);
    List<ReceivedAnswer> shorts = List.copyOf(received);
    List<ReceivedAnswer> all = new ArrayList<>(longStreams);
    all.addAll(shorts);
    System.out.println("LongStreamsAcrossWindowsTest: boundary=" + boundary + " streams=" + longStreams
        .stream().map(a -> a.sentAt() + ".." + a.doneAt()).toList() + " short calls=" + shorts.stream()
        .collect(Collectors.groupingBy(a -> a.status() + " " + a.errorType(), Collectors.counting())));

    // Then the scenario happened: every stream ran to its end across the boundary, long after it
    assertThat(longStreams).allSatisfy(s -> {
      assertThat(s.status()).as("stream status").isEqualTo(200);
      assertThat(s.cleanEnd()).as("stream %s ended with [DONE]", s.requestId()).isTrue();
      assertThat(s.hasUsage()).as("stream %s sent its usage chunk", s.requestId()).isTrue();
      assertThat(s.sentAt()).isBefore(boundary.minusSeconds(9));
      assertThat(s.doneAt()).as("outlived its lease's minute by more than the reconcile grace")
          .isAfter(boundary.plusSeconds(15));
    });
    assertThat(shorts).allSatisfy(a -> assertThat(a.status() + " " + a.errorType())
        .isIn("200 null", "429 budget_exceeded"));
    assertThat(shorts.stream().filter(a -> a.ok() && a.sentAt().isBefore(boundary))).isNotEmpty();
    assertThat(shorts.stream().filter(a -> a.ok() && a.sentAt().isAfter(boundary))).isNotEmpty();

    // every answer has exactly one audit record, billed with the usage the client received
    List<JsonNode> audit = admin.awaitAudit(first, tenant, boundary.minusSeconds(600), all);
    Map<String, List<JsonNode>> byRequest = audit.stream()
        .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
    for (ReceivedAnswer a : all) {
      assertThat(byRequest.get(a.requestId())).as("audit records of %s", a.requestId()).hasSize(1);
      JsonNode r = byRequest.get(a.requestId()).get(0);
      assertThat(r.get("status").asInt()).isEqualTo(a.status());
      if (a.ok()) {
        assertThat(r.get("output_tokens").asLong()).as("billed output of %s", a.requestId())
            .isEqualTo(a.completionTokens());
        assertThat(r.get("input_tokens").asLong()).as("billed input of %s", a.requestId()).isEqualTo(a.promptTokens());
        assertThat(r.get("cost_micros").asLong()).as("cost of %s", a.requestId()).isEqualTo(a.costMicros(MODEL));
      }
    }
    assertThat(audit.stream().map(r -> r.get("request_id").asText()).collect(Collectors.toSet()))
        .as("no audit record of a call no client sent")
        .isEqualTo(all.stream().map(ReceivedAnswer::requestId).collect(Collectors.toSet()));

    // what the clients received costs what the audit says and no more than any USD limit
    long receivedCost = all.stream().filter(ReceivedAnswer::ok).mapToLong(a -> a.costMicros(MODEL)).sum();
    long auditedCost = audit.stream().filter(LedgerCheck::leased).mapToLong(r -> r.get("cost_micros").asLong()).sum();
    assertThat(receivedCost).as("Σ cost received == Σ audit cost").isEqualTo(auditedCost);
    assertThat(receivedCost).as("within the tenant's daily budget").isLessThanOrEqualTo(DAILY_USD_MICROS);
    long redCost = all.stream().filter(a -> a.ok() && a.key().equals(red.secret())).mapToLong(a -> a.costMicros(MODEL)).sum();
    assertThat(redCost).as("within key red's daily budget").isLessThanOrEqualTo(KEY_USD_MICROS);
    for (Instant minute : List.of(boundary.minusSeconds(60), boundary)) {
      List<ReceivedAnswer> admitted = all.stream().filter(a -> a.ok() && MinuteBoundary.minuteOf(a.sentAt()).equals(minute)).toList();
      assertThat((long) admitted.size()).as("requests sent in minute %s", minute).isLessThanOrEqualTo(REQUESTS_PER_MINUTE);
      assertThat(admitted.stream().mapToLong(ReceivedAnswer::tokens).sum()).isLessThanOrEqualTo(TOKENS_PER_MINUTE);
    }

    // and, after the settle interval, the ledger equals the audit in every scope and kind, for the day and both minutes
    List<JsonNode> finalAudit = audit;
    try {
      Awaitility.await("ledger == Σ audit").atMost(SETTLED_WITHIN).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            assertThat(LedgerCheck.assertExact(admin.reconcile(first, tenant, Instant.now()), finalAudit)).hasSize(5);
            assertThat(LedgerCheck.assertExact(admin.reconcileMinute(first, tenant, boundary.minusSeconds(30)),
                finalAudit)).hasSize(2);
            assertThat(LedgerCheck.assertExact(admin.reconcileMinute(first, tenant, boundary),
                finalAudit)).hasSize(2);
          });
    } finally {
      System.out.println("LongStreamsAcrossWindowsTest: reconcile now " + admin.reconcile(first, tenant, Instant.now()));
      System.out.println("LongStreamsAcrossWindowsTest: reconcile minute before the boundary "
          + admin.reconcileMinute(first, tenant, boundary.minusSeconds(30)));
      System.out.println("LongStreamsAcrossWindowsTest: reconcile minute after the boundary "
          + admin.reconcileMinute(first, tenant, boundary));
    }
  }

  private static String usd(long micros) {
    return java.math.BigDecimal.valueOf(micros, 6).toPlainString();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
