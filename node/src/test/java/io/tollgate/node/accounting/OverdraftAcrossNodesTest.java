package io.tollgate.node.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.AccountingClient;
import io.tollgate.node.testing.ClientMinutes;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.NodeProcess;
import io.tollgate.node.testing.ReceivedAnswer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A fail-open tenant's overdraft holds across nodes, and what it admitted is billed into the windows
 * it was admitted in (issue 9, case 6). The three node JVMs of the shared accounting cluster on one
 * Cassandra (the budget entity's expiry check every second); the tenant's budget entity
 * runs on the first, which is frozen with SIGSTOP for {@value #PAUSE_SECONDS} s while the other two
 * serve a requests-per-minute key and a plain key. They admit under the overdraft once their leases
 * run out, then the entity's node resumes.
 *
 * <p>By what the clients received: each serving node admitted no more under the overdraft than its
 * share (the overdraft divided by the three nodes) and no more of the rate-limited key per minute
 * than its share of that limit; every answer has exactly one audit record; and after the settle
 * interval the ledger equals the audit records in every scope and kind, for the day and each minute,
 * overdraft calls included.
 *
 * <p>Then (last, as it ends a node) a serving node is killed with SIGKILL while the entity's node is
 * frozen, before it could settle its overdraft batches: once it is out of the cluster the entity
 * settles them from their audit, and the ledger again equals the audit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverdraftAcrossNodesTest {
  private static final String MODEL = "demo-openai";
  private static final int PAUSE_SECONDS = 12;
  private static final int NODES = SharedAccountingCluster.NODES;
  private static final long OVERDRAFT_MICROS = 600;
  private static final long DAILY_USD_MICROS = 10_000;
  private static final long REQUESTS_PER_MINUTE = 60;
  private static final long CALL_EVERY_MS = 150;
  // Overdraft batches are settled once their minute is over.
  private static final Duration SETTLED_WITHIN = Duration.ofSeconds(90);

  static AccountingCluster env;
  static ClusterOfProcesses cluster;
  static AccountingAdmin admin;
  static ScheduledExecutorService calls;

  @BeforeAll
  static void start() {
    env = AccountingCluster.shared("overdraft", 2);
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
  @Order(1)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void the_overdraft_holds_per_node_and_is_billed_in_the_windows_it_was_admitted_in() {
    // Given a fail-open tenant with an overdraft, whose budget entity runs on the first node
    NodeProcess entityHost = cluster.node(0);
    List<String> serving = List.of(cluster.node(1).url(), cluster.node(2).url());
    String url = entityHost.url();
    String tenant = admin.tenantHostedOn(entityHost, "od");
    AccountingAdmin.Key rated = admin.createKey(url, tenant, "rated", null);
    AccountingAdmin.Key plain = admin.createKey(url, tenant, "plain", null);
    admin.setLimits(url, tenant, "{\"time_zone\":\"" + AccountingAdmin.zoneAtNoon() + "\",\"fail_mode\":\"open\","
        + "\"overdraft_usd\":\"" + usd(OVERDRAFT_MICROS) + "\",\"limits\":["
        + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"" + usd(DAILY_USD_MICROS) + "\"},"
        + "{\"scope\":\"key:" + rated.keyId() + "\",\"kind\":\"requests_per_minute\",\"amount\":"
        + REQUESTS_PER_MINUTE + "}]}");
    admin.awaitEveryNodeServes(cluster.nodes().stream().map(NodeProcess::url).toList(), tenant, rated, plain);
    AccountingClient client = new AccountingClient(env.http(), MODEL);

    // When the two other nodes serve both keys before, during and after a pause of the entity's node
    Instant from = Instant.now();
    ConcurrentLinkedQueue<ReceivedAnswer> received = new ConcurrentLinkedQueue<>();
    for (int n = 0; n < serving.size(); n++) {
      int node = n + 1;
      String target = serving.get(n);
      int[] turn = {0};
      calls.scheduleWithFixedDelay(() -> {
        AccountingAdmin.Key key = turn[0]++ % 2 == 0 ? rated : plain;
        received.add(client.call(node, target, key.secret(), "[[fake:chunks=3]] keep going", 16));
      }, 0, CALL_EVERY_MS, TimeUnit.MILLISECONDS);
    }
    pauseFor(Duration.ofSeconds(4));
    entityHost.pause();
    Instant pausedAt = Instant.now();
    try {
      pauseFor(Duration.ofSeconds(PAUSE_SECONDS));
    } finally {
      entityHost.resume();
    }
    Instant resumedAt = Instant.now();
    pauseFor(Duration.ofSeconds(8));
    calls.shutdown();
    Awaitility.await("calls finished").atMost(Duration.ofSeconds(30)).until(calls::isTerminated);
    List<ReceivedAnswer> all = List.copyOf(received);
    System.out.println("OverdraftAcrossNodesTest: paused " + pausedAt + ".." + resumedAt + ": " + all.stream()
        .collect(Collectors.groupingBy(a -> "node " + a.node() + " " + a.status() + " " + a.errorType(),
            Collectors.counting())));

    // Then every call was answered, admitted or refused in the client's own error shape
    assertThat(all).allSatisfy(a -> assertThat(a.status() + " " + a.errorType())
        .isIn("200 null", "429 rate_limit_error", "429 budget_exceeded", "503 budget_unavailable"));

    // every answer has exactly one audit record, billed what the client received
    List<JsonNode> audit = admin.awaitAudit(url, tenant, from.minusSeconds(600), all);
    Map<String, List<JsonNode>> byRequest = audit.stream()
        .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
    for (ReceivedAnswer a : all) {
      assertThat(byRequest.get(a.requestId())).as("audit records of %s", a.requestId()).hasSize(1);
      JsonNode r = byRequest.get(a.requestId()).get(0);
      assertThat(r.get("status").asInt()).isEqualTo(a.status());
      if (a.ok()) {
        assertThat(r.get("cost_micros").asLong()).as("cost of %s", a.requestId()).isEqualTo(a.costMicros(MODEL));
      }
    }
    assertThat(audit.stream().map(r -> r.get("request_id").asText()).collect(Collectors.toSet()))
        .as("no audit record of a call no client sent")
        .isEqualTo(all.stream().map(ReceivedAnswer::requestId).collect(Collectors.toSet()));

    // both serving nodes admitted under the overdraft, each within its share of it and of the per-minute limit
    for (int node = 1; node < NODES; node++) {
      int n = node;
      List<ReceivedAnswer> overdrafted = all.stream()
          .filter(a -> a.ok() && a.node() == n && overdraft(byRequest.get(a.requestId()).get(0))).toList();
      assertThat(overdrafted).as("calls node %s admitted under the overdraft", n).isNotEmpty();
      assertThat(overdrafted.stream().mapToLong(a -> a.costMicros(MODEL)).sum())
          .as("cost node %s admitted under the overdraft", n).isLessThanOrEqualTo(OVERDRAFT_MICROS / NODES);
      Map<Instant, Long> ratedPerMinute = overdrafted.stream().filter(a -> a.key().equals(rated.secret()))
          .collect(Collectors.groupingBy(a -> ClientMinutes.minuteOf(
              Instant.parse(byRequest.get(a.requestId()).get(0).get("time").asText())), Collectors.counting()));
      assertThat(ratedPerMinute.values()).as("rate-limited calls node %s admitted under the overdraft per minute", n)
          .allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(REQUESTS_PER_MINUTE / NODES));
    }
    Map<Instant, Long> ratedPerClientMinute = ClientMinutes.surelyIn(
        all.stream().filter(a -> a.ok() && a.key().equals(rated.secret())).toList());
    assertThat(ratedPerClientMinute.values()).as("rate-limited calls per minute: the limit plus the nodes' shares")
        .allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(2 * REQUESTS_PER_MINUTE));

    // and, after the settle interval, the ledger equals the audit in every scope and kind, overdraft calls included
    Set<Instant> minutes = new TreeSet<>();
    audit.stream().filter(LedgerCheck::leased)
        .forEach(r -> minutes.add(ClientMinutes.minuteOf(Instant.parse(r.get("time").asText()))));
    try {
      Awaitility.await("ledger == Σ audit").atMost(SETTLED_WITHIN).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            List<JsonNode> daily = LedgerCheck.assertExact(admin.reconcile(url, tenant, Instant.now()), audit);
            assertThat(daily).hasSize(2);
            assertThat(daily.get(0).get("unleased_audit").asLong()).as("every admitted call is in a ledger").isZero();
            for (Instant minute : minutes) {
              LedgerCheck.assertExact(admin.reconcileMinute(url, tenant, minute), audit);
            }
          });
    } finally {
      System.out.println("OverdraftAcrossNodesTest: reconcile " + admin.reconcile(url, tenant, Instant.now()));
    }
  }

  @Test
  @Order(2)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void a_node_killed_before_it_settled_its_overdraft_is_billed_from_the_audit() {
    // Given a fail-open tenant whose budget entity runs on the first node
    NodeProcess entityHost = cluster.node(0);
    NodeProcess victim = cluster.node(2);
    String url = entityHost.url();
    String tenant = admin.tenantHostedOn(entityHost, "od-kill");
    AccountingAdmin.Key key = admin.createKey(url, tenant, "spender", null);
    admin.setLimits(url, tenant, "{\"time_zone\":\"" + AccountingAdmin.zoneAtNoon() + "\",\"fail_mode\":\"open\","
        + "\"overdraft_usd\":\"" + usd(OVERDRAFT_MICROS) + "\",\"limits\":["
        + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\""
        // small, so the nodes' leases (a share of what is left) run dry soon after the entity freezes
        + usd(DAILY_USD_MICROS / 5) + "\"}]}");
    admin.awaitEveryNodeServes(cluster.nodes().stream().map(NodeProcess::url).toList(), tenant, key);
    AccountingClient client = new AccountingClient(env.http(), MODEL);

    // When the entity's node freezes, the other two admit under the overdraft, and one of them is
    // killed before the entity is back
    Instant from = Instant.now();
    ConcurrentLinkedQueue<ReceivedAnswer> received = new ConcurrentLinkedQueue<>();
    ScheduledExecutorService clients = java.util.concurrent.Executors.newScheduledThreadPool(2);
    for (int node = 1; node < NODES; node++) {
      int n = node;
      clients.scheduleWithFixedDelay(() -> received.add(
          client.call(n, cluster.node(n).url(), key.secret(), "[[fake:chunks=3]] keep going", 16)),
          0, CALL_EVERY_MS, TimeUnit.MILLISECONDS);
    }
    pauseFor(Duration.ofSeconds(2));
    entityHost.pause();
    try {
      // (within the split-brain resolver's 20 s, or it would down the frozen node)
      Awaitility.await("the victim admitted under the overdraft").atMost(Duration.ofSeconds(14))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(() -> victimOverdrafted(cluster.node(1).url(), tenant, from, received));
      assertThat(victim.kill()).as("exit status (128 + SIGKILL)").isEqualTo(137);
    } finally {
      entityHost.resume();
    }
    pauseFor(Duration.ofSeconds(4));
    clients.shutdown();
    Awaitility.await("calls finished").atMost(Duration.ofSeconds(30)).until(clients::isTerminated);
    List<ReceivedAnswer> all = received.stream().filter(a -> !a.unanswered()).toList();
    System.out.println("OverdraftAcrossNodesTest kill: " + all.stream()
        .collect(Collectors.groupingBy(a -> "node " + a.node() + " " + a.status() + " " + a.errorType(),
            Collectors.counting())));

    // Then every answer has exactly one audit record, the victim's overdraft calls among them. (Read
    // through the second node: the victim had seen the frozen node unreachable before it died, an
    // observation nobody can take back, so the split-brain resolver may down the entity's node too;
    // the entity then restarts on the second node, from its journal.)
    String survivor = cluster.node(1).url();
    List<JsonNode> audit = admin.awaitAudit(survivor, tenant, from.minusSeconds(600), all);
    Map<String, List<JsonNode>> byRequest = audit.stream()
        .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
    assertThat(all).allSatisfy(a -> assertThat(byRequest.get(a.requestId())).as("audit of %s", a.requestId()).hasSize(1));
    assertThat(all).as("the victim's answers admitted under the overdraft")
        .anyMatch(a -> a.node() == 2 && a.ok() && overdraft(byRequest.get(a.requestId()).get(0)));

    // and once the victim is out of the cluster, the entity settles its batches: ledger == Σ audit
    Set<Instant> minutes = new TreeSet<>();
    audit.stream().filter(LedgerCheck::leased)
        .forEach(r -> minutes.add(ClientMinutes.minuteOf(Instant.parse(r.get("time").asText()))));
    try {
      Awaitility.await("ledger == Σ audit").atMost(SETTLED_WITHIN.plusSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .untilAsserted(() -> {
            List<JsonNode> daily = LedgerCheck.assertExact(admin.reconcile(survivor, tenant, Instant.now()), audit);
            assertThat(daily.get(0).get("unleased_audit").asLong()).as("every admitted call is in a ledger").isZero();
            for (Instant minute : minutes) {
              LedgerCheck.assertExact(admin.reconcileMinute(survivor, tenant, minute), audit);
            }
          });
    } finally {
      System.out.println("OverdraftAcrossNodesTest kill: reconcile " + admin.reconcile(survivor, tenant, Instant.now()));
    }
  }

  /** Whether an answer of the third node has an audit record admitted under the overdraft (read through {@code node}). */
  private static boolean victimOverdrafted(String node, String tenant, Instant from,
      ConcurrentLinkedQueue<ReceivedAnswer> received) {
    Set<String> victims = received.stream().filter(a -> a.node() == 2 && a.ok()).map(ReceivedAnswer::requestId)
        .collect(Collectors.toSet());
    return admin.audit(node, tenant, from.minusSeconds(60), Instant.now().plusSeconds(60)).stream()
        .anyMatch(r -> victims.contains(r.get("request_id").asText()) && overdraft(r));
  }

  private static boolean overdraft(JsonNode record) {
    return record.path("lease_id").asText("").startsWith("overdraft-");
  }

  private static void pauseFor(Duration d) {
    Awaitility.await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
  }

  private static String usd(long micros) {
    return BigDecimal.valueOf(micros, 6).toPlainString();
  }
}
