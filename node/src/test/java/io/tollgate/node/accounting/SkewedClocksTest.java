package io.tollgate.node.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.AccountingClient;
import io.tollgate.node.testing.ClientMinutes;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.ClusterOfProcesses.NodeSpec;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.NodeProcess;
import io.tollgate.node.testing.ReceivedAnswer;
import io.tollgate.node.testing.SkewedClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes whose clocks are off do not move a tenant's windows (issue 9, case 8). Three node JVMs on
 * one Cassandra: one with the machine's clock, one whose whole process runs {@value #AHEAD_SECONDS} s
 * ahead (two and a half minute windows), one {@value #BEHIND_SECONDS} s behind. The tenant's budget
 * entity runs on the node with the true clock; every node serves the tenant's calls for over a
 * minute, across a minute boundary, with a requests-per-minute key and a USD-limited key.
 *
 * <p>By what the clients received, on their own clock: no more calls of the rate-limited key were
 * answered within any minute than its limit; the answers cost no more than the USD limits; every
 * answer has exactly one audit record, whose time lies within its call's round trip (the entity's
 * clock, not the serving node's); and the ledger equals the audit records in every scope and kind,
 * for the day and each minute.
 */
class SkewedClocksTest {
  private static final String MODEL = "demo-openai";
  private static final int AHEAD_SECONDS = 150;
  private static final int BEHIND_SECONDS = -25;
  private static final long REQUESTS_PER_MINUTE = 24;
  private static final long KEY_USD_MICROS = 1_200;
  private static final long DAILY_USD_MICROS = 1_000_000;
  private static final long TOKENS_PER_MINUTE = 500_000;
  private static final long CALL_EVERY_MS = 450;
  private static final Duration TRAFFIC = Duration.ofSeconds(75);
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(30);
  /** The client's clock against the entity's: the same machine, so only the round trip's own slack. */
  private static final Duration SLACK = Duration.ofMillis(500);

  static AccountingCluster env;
  static ClusterOfProcesses cluster;
  static AccountingAdmin admin;
  static ScheduledExecutorService calls;

  @BeforeAll
  static void start() {
    env = AccountingCluster.start(List.of(
            new NodeSpec(null, Map.of(), Map.of()),
            NodeSpec.withEnv(SkewedClock.environment(Duration.ofSeconds(AHEAD_SECONDS))),
            NodeSpec.withEnv(SkewedClock.environment(Duration.ofSeconds(BEHIND_SECONDS)))),
        Map.of("tollgate.budget.expiry-check-interval", "1s"), "skewed-clocks", 3);
    cluster = env.cluster();
    admin = env.admin();
    calls = env.clients();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void windows_follow_the_entitys_clock_whatever_the_serving_nodes_clocks_say() {
    // Given a tenant whose budget entity runs on the node with the true clock, served by all three
    List<String> urls = cluster.nodes().stream().map(NodeProcess::url).toList();
    String accurate = urls.get(0);
    String tenant = admin.tenantHostedOn(cluster.node(0), "skew");
    AccountingAdmin.Key rated = admin.createKey(accurate, tenant, "rated", null);
    AccountingAdmin.Key capped = admin.createKey(accurate, tenant, "capped", null);
    admin.setLimits(accurate, tenant, "{\"time_zone\":\"" + AccountingAdmin.zoneAtNoon() + "\",\"limits\":["
        + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"" + usd(DAILY_USD_MICROS) + "\"},"
        + "{\"scope\":\"tenant\",\"kind\":\"tokens_per_minute\",\"amount\":" + TOKENS_PER_MINUTE + "},"
        + "{\"scope\":\"key:" + rated.keyId() + "\",\"kind\":\"requests_per_minute\",\"amount\":" + REQUESTS_PER_MINUTE
        + "},"
        + "{\"scope\":\"key:" + capped.keyId() + "\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\""
        + usd(KEY_USD_MICROS) + "\"}]}");
    admin.awaitEveryNodeServes(urls, tenant, rated, capped);
    AccountingClient client = new AccountingClient(env.http(), MODEL);

    // When every node serves both keys for over a minute, across a minute boundary
    Instant from = Instant.now();
    ConcurrentLinkedQueue<ReceivedAnswer> received = new ConcurrentLinkedQueue<>();
    for (int n = 0; n < urls.size(); n++) {
      int node = n;
      int[] turn = {0};
      calls.scheduleAtFixedRate(() -> {
        AccountingAdmin.Key key = turn[0]++ % 3 == 0 ? capped : rated;
        received.add(client.call(node, urls.get(node), key.secret(), "[[fake:chunks=4]] what time is it", 16));
      }, n * CALL_EVERY_MS / 3, CALL_EVERY_MS, TimeUnit.MILLISECONDS);
    }
    Awaitility.await("traffic").pollDelay(TRAFFIC).atMost(TRAFFIC.plusSeconds(5)).until(() -> true);
    calls.shutdown();
    Awaitility.await("calls finished").atMost(Duration.ofSeconds(30)).until(calls::isTerminated);
    List<ReceivedAnswer> all = List.copyOf(received);
    System.out.println("SkewedClocksTest: " + all.stream()
        .collect(Collectors.groupingBy(a -> "node " + a.node() + " " + a.status() + " " + a.errorType(),
            Collectors.counting())));

    // Then every node answered, each call either admitted or refused by a limit
    assertThat(all).allSatisfy(a -> assertThat(a.status() + " " + a.errorType())
        .isIn("200 null", "429 rate_limit_error", "429 budget_exceeded"));
    for (int n = 0; n < urls.size(); n++) {
      int node = n;
      assertThat(all.stream().filter(a -> a.node() == node && a.ok())).as("calls node %s answered", n).isNotEmpty();
    }

    // no more calls of the rate-limited key answered within a minute of the clients' clock than its limit
    List<ReceivedAnswer> ratedAdmitted = all.stream().filter(a -> a.ok() && a.key().equals(rated.secret())).toList();
    Map<Instant, Long> perMinute = ClientMinutes.surelyIn(ratedAdmitted);
    System.out.println("SkewedClocksTest: rate-limited admissions per minute by the clients' clock: " + perMinute);
    assertThat(perMinute).as("minutes with admissions").hasSizeGreaterThanOrEqualTo(1);
    assertThat(perMinute.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(REQUESTS_PER_MINUTE));

    // the answers cost no more than the USD limits
    long cappedCost = all.stream().filter(a -> a.ok() && a.key().equals(capped.secret()))
        .mapToLong(a -> a.costMicros(MODEL)).sum();
    assertThat(cappedCost).as("within the capped key's budget").isPositive().isLessThanOrEqualTo(KEY_USD_MICROS);

    // every answer has exactly one audit record, billed what the client received, timed within its round trip
    List<JsonNode> audit = admin.awaitAudit(accurate, tenant, from.minusSeconds(600), all);
    Map<String, List<JsonNode>> byRequest = audit.stream()
        .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
    for (ReceivedAnswer a : all) {
      assertThat(byRequest.get(a.requestId())).as("audit records of %s", a.requestId()).hasSize(1);
      JsonNode r = byRequest.get(a.requestId()).get(0);
      assertThat(r.get("status").asInt()).isEqualTo(a.status());
      if (a.ok()) {
        assertThat(r.get("cost_micros").asLong()).as("cost of %s", a.requestId()).isEqualTo(a.costMicros(MODEL));
        assertThat(Instant.parse(r.get("time").asText())).as("admission time of %s (node %s)", a.requestId(), a.node())
            .isBetween(a.sentAt().minus(SLACK), a.doneAt().plus(SLACK));
      }
    }
    assertThat(audit.stream().map(r -> r.get("request_id").asText()).collect(Collectors.toSet()))
        .as("no audit record of a call no client sent")
        .isEqualTo(all.stream().map(ReceivedAnswer::requestId).collect(Collectors.toSet()));

    // and, after the settle interval, the ledger equals the audit in every scope and kind, for the day and each minute
    Set<Instant> minutes = new TreeSet<>();
    audit.stream().filter(LedgerCheck::leased)
        .forEach(r -> minutes.add(ClientMinutes.minuteOf(Instant.parse(r.get("time").asText()))));
    assertThat(minutes).as("minutes with admissions").hasSizeGreaterThanOrEqualTo(2);
    Awaitility.await("ledger == Σ audit").atMost(SETTLED_WITHIN).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          assertThat(LedgerCheck.assertExact(admin.reconcile(accurate, tenant, Instant.now()), audit)).hasSize(4);
          for (Instant minute : minutes) {
            assertThat(LedgerCheck.assertExact(admin.reconcileMinute(accurate, tenant, minute), audit)).hasSize(2);
          }
        });
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }
}
