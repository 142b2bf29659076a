package io.tollgate.node.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.Behaviour;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.ClientMinutes;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.NodeProcess;
import io.tollgate.persistence.testing.TestCassandra;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exact budgets survive the loss of nodes: the one that hosts the tenant's {@code TenantBudget}
 * entity, and one that does not.
 *
 * <p>Three nodes run as separate JVMs on loopback with one Cassandra and the fake provider (in this
 * JVM, answering after {@value #PROVIDER_LATENCY_MS} ms so requests overlap). Tenant A has a daily
 * USD budget worth about {@value #BUDGET_REQUESTS} requests; a second key of it is limited to
 * {@value #RPM} requests per minute, a third streams and has a daily USD budget of its own.
 * {@value #BUDGET_LOOPS} client loops on the first key, {@value #RPM_LOOPS} on the second and
 * {@value #STREAM_LOOPS} streaming loops on the third keep a request each in flight, spread over the
 * three nodes. Tenant B is served by one node only, which does not host A's entity: a plain and a
 * streaming loop send to it alone.
 *
 * <p>Once a twelfth of A's budget is admitted, B's node is killed with SIGKILL (B's traffic ends
 * there); once it is downed and a third is admitted, the node hosting A's entity is. The loops
 * aimed at a dead node see connection errors and go on with the survivor; the entities are started
 * again there from their events. Traffic goes on until A's budget is exhausted and ten seconds
 * more. The survivor is the node with the lowest address, the one keep-majority keeps when the
 * last two nodes split one to one (A's tenant is chosen so its entity lives elsewhere).
 *
 * <p>Afterwards, once the dead nodes' leases have expired and been reconciled: every answer a
 * client received has exactly one audit record (no loss allowed, not even for the calls a killed
 * node answered in its last moments, or the streams it was sending when it died), billed what the
 * client received; what the clients received
 * costs no more than any budget; the ledger equals the audit records for every limit, to the
 * micro-dollar; what was audited but never answered is no more than what was in flight on the dead
 * nodes; and, by the clients' own clocks, no minute admitted more than the rate limit.
 */
class BudgetChaosTest {
  private static final String MODEL = "demo-openai";
  private static final String PROMPT = "Say hello to the chaos test";
  private static final int MAX_TOKENS = 8;
  private static final int STREAM_CHUNKS = 20;
  private static final int STREAM_MAX_TOKENS = 24;
  private static final long PROVIDER_LATENCY_MS = 300;
  private static final int BUDGET_REQUESTS = 2400;
  private static final int RPM = 40;
  private static final int BUDGET_LOOPS = 32;
  private static final int RPM_LOOPS = 8;
  private static final int STREAM_LOOPS = 4;
  private static final int STREAM_KEY_STREAMS = 60;
  private static final int SOLO_BUDGET_REQUESTS = 400;
  private static final Duration PAUSE_AFTER_REFUSAL = Duration.ofMillis(250);
  private static final Duration AFTER_EXHAUSTION = Duration.ofSeconds(10);

  static FakeProvider fake;
  static ClusterOfProcesses cluster;
  static HttpClient http;
  static ExecutorService executor;
  static ChaosAdmin admin;

  @BeforeAll
  static void start() {
    String cassandra = TestCassandra.contactPoint();
    fake = FakeProvider.start(FakeProviderSettings.defaults());
    fake.setBehaviour(Behaviour.defaults().withLatencyMillis(PROVIDER_LATENCY_MS));
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "chaos-client");
      t.setDaemon(true);
      return t;
    });
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    admin = new ChaosAdmin(http);
    cluster = ClusterOfProcesses.start(3, cassandra, fake.url(), Map.of(
        // Short budget timings, so a dead node's leases expire and are reconciled within the test.
        "tollgate.budget.lease-ttl", "5s",
        "tollgate.budget.expiry-check-interval", "1s",
        // A dead node's leases are closed from the audit this long after it left the cluster.
        "tollgate.budget.reconcile-grace", "5s",
        // Down a killed node within seconds, so its shards move to the survivors soon; the
        // failure detector still tolerates the pauses of a busy 2-core machine.
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "6s",
        "pekko.cluster.split-brain-resolver.stable-after", "5s",
        "tollgate.upstream.response-timeout", "10s"),
        Path.of("target", "chaos-" + ProcessHandle.current().pid()));
  }

  @AfterAll
  static void stop() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (fake != null) {
        fake.stop();
      }
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void budgets_and_rate_limit_stay_exact_when_the_entity_host_and_another_node_are_killed_mid_run() {
    // Given tenant A with a daily budget, a rate-limited key and a streaming key with a budget of its own,
    // whose entity is not on the node with the lowest address (that node is to survive both kills) ...
    List<String> urls = cluster.nodes().stream().map(NodeProcess::url).toList();
    String first = urls.get(0);
    int lowest = lowestAddress();
    long worstCase = BudgetAdmin.worstCaseMicros(MODEL, PROMPT, MAX_TOKENS);
    long budget = worstCase * BUDGET_REQUESTS;
    long streamBudget = BudgetAdmin.worstCaseMicros(MODEL, PROMPT, STREAM_MAX_TOKENS) * STREAM_KEY_STREAMS;
    String tenant = null;
    ChaosAdmin.Key budgetKey = null;
    ChaosAdmin.Key rpmKey = null;
    ChaosAdmin.Key streamKey = null;
    int host = lowest;
    for (int attempt = 0; attempt < 8 && host == lowest; attempt++) {
      tenant = admin.createTenant(first, "chaos-" + UUID.randomUUID().toString().substring(0, 8));
      budgetKey = admin.createKey(first, tenant, "budget");
      rpmKey = admin.createKey(first, tenant, "rpm");
      streamKey = admin.createKey(first, tenant, "stream");
      admin.setLimits(first, tenant, "{\"time_zone\":\"" + zoneAtNoon() + "\",\"limits\":["
          + usdLimit("tenant", budget) + ","
          + usdLimit("key:" + streamKey.keyId(), streamBudget) + ","
          + "{\"scope\":\"key:" + rpmKey.keyId() + "\",\"kind\":\"requests_per_minute\",\"amount\":" + RPM + "}]}");
      awaitEveryNodeServes(urls, tenant, budgetKey, rpmKey, streamKey);
      host = entityHost(urls, tenant, Set.of());
    }
    assertThat(host).as("a tenant whose entity is not on the lowest-address node").isNotEqualTo(lowest);
    int survivor = lowest;
    int soloNode = 3 - host - survivor;
    // ... and tenant B, served by one node only, which does not host A's entity
    String solo = admin.createTenant(first, "solo-" + UUID.randomUUID().toString().substring(0, 8));
    ChaosAdmin.Key soloKey = admin.createKey(first, solo, "solo");
    long soloBudget = worstCase * SOLO_BUDGET_REQUESTS;
    admin.setLimits(first, solo, "{\"time_zone\":\"" + zoneAtNoon() + "\",\"limits\":[" + usdLimit("tenant", soloBudget) + "]}");
    awaitEveryNodeServes(urls, solo, soloKey);
    startNearTheEndOfAMinute();

    // When the clients keep requests in flight on all three nodes, and on B's node for B ...
    Instant trafficStart = Instant.now();
    ChaosTraffic traffic = new ChaosTraffic(http, urls, executor, PAUSE_AFTER_REFUSAL);
    traffic.start(BUDGET_LOOPS, BUDGET, budgetKey.secret(), chatBody(), Set.of());
    traffic.start(RPM_LOOPS, RATE, rpmKey.secret(), chatBody(), Set.of());
    traffic.start(STREAM_LOOPS, STREAM, streamKey.secret(), streamBody(), Set.of());
    traffic.start(2, SOLO, soloKey.secret(), chatBody(), Set.of(soloNode));
    traffic.start(1, SOLO, soloKey.secret(), streamBody(), Set.of(soloNode));
    Awaitility.await("a twelfth of the budget admitted").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> traffic.admitted(BUDGET) >= BUDGET_REQUESTS / 12);

    // ... B's node (not A's entity host) is killed with SIGKILL ...
    int inFlightAtSoloKill = traffic.retire(soloNode);
    Instant soloKilledAt = Instant.now();
    int soloExit = cluster.node(soloNode).kill();
    // Two nodes left: the second kill must leave the lowest address (the survivor) up, which
    // keep-majority does only once the first victim is down (one decision per kill).
    String soloAddress = cluster.node(soloNode).address();
    List<NodeProcess> remaining = List.of(cluster.node(host), cluster.node(survivor));
    Awaitility.await("B's node downed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> remaining.stream().anyMatch(n -> n.logged("SBR took decision DownUnreachable", soloAddress)));
    Awaitility.await("a third of the budget admitted").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> traffic.admitted(BUDGET) >= BUDGET_REQUESTS / 3);

    // ... and then the node hosting A's budget entity
    NodeProcess victim = cluster.node(host);
    int inFlightAtKill = traffic.retire(host);
    Instant killedAt = Instant.now();
    int exitStatus = victim.kill();
    int admittedBeforeKill = traffic.admitted();

    Awaitility.await("the budget exhausted").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> traffic.firstBudgetExceeded() != null);
    Instant exhaustedAt = traffic.firstBudgetExceeded();
    Awaitility.await("traffic after exhaustion").pollDelay(AFTER_EXHAUSTION).atMost(AFTER_EXHAUSTION.plusSeconds(5))
        .until(() -> true);
    traffic.stop().orTimeout(60, TimeUnit.SECONDS).join();
    Instant trafficEnd = Instant.now();
    List<ChaosCall> calls = traffic.calls();
    List<ChaosCall> callsA = calls.stream().filter(c -> !c.is(SOLO)).toList();
    List<ChaosCall> callsB = calls.stream().filter(c -> c.is(SOLO)).toList();

    // Then, once the dead nodes' leases have expired and were reconciled ...
    String survivorUrl = urls.get(survivor);
    awaitNoLeaseHolds(survivorUrl, tenant);
    awaitNoLeaseHolds(survivorUrl, solo);
    JsonNode usd = admin.spendLine(survivorUrl, tenant, "tenant", "usd");
    List<JsonNode> audit = admin.audit(survivorUrl, tenant, trafficStart.minusSeconds(300), Instant.now().plusSeconds(60));
    List<JsonNode> auditB = admin.audit(survivorUrl, solo, trafficStart.minusSeconds(300), Instant.now().plusSeconds(60));
    String summary = summary(callsA, inFlightAtKill, exitStatus, admittedBeforeKill, killedAt, exhaustedAt,
        trafficStart, trafficEnd, usd, budget, audit.size()) + " soloNode=" + soloNode + " soloExit=" + soloExit
        + " inFlightAtSoloKill=" + inFlightAtSoloKill + " soloCalls=" + callsB.size() + " soloAudit=" + auditB.size()
        + " streamsCut=" + calls.stream().filter(ChaosCall::cut).count();
    System.out.println("BudgetChaosTest: " + summary);
    System.out.println("BudgetChaosTest: per second after the start " + timeline(callsA, trafficStart));

    // the scenario happened as intended: real SIGKILLs while requests were in flight on both victims
    assertThat(exitStatus).as("exit status of the killed entity host (128 + SIGKILL)").isEqualTo(137);
    assertThat(soloExit).as("exit status of B's node (128 + SIGKILL)").isEqualTo(137);
    assertThat(inFlightAtKill).as("requests in flight on the killed entity host").isPositive();
    assertThat(inFlightAtSoloKill).as("requests in flight on B's node").isPositive();
    assertThat(callsB.stream().filter(ChaosCall::admitted)).as("B's admitted calls").isNotEmpty();
    assertThat(callsB.stream().filter(c -> c.node() != soloNode)).as("B's calls elsewhere").isEmpty();
    assertThat(callsA.stream().filter(c -> c.admitted() && c.sentAt().isAfter(killedAt)).count())
        .as("requests admitted by the survivor after the kills: %s", summary).isPositive();
    assertThat(callsA.stream().filter(c -> c.admitted() && c.streamed())).as("streams admitted").isNotEmpty();
    assertEntityMovedTo(urls, tenant, survivor);

    // every answer is an admission or a refusal; only requests aimed at a dead node went unanswered
    Set<Integer> victims = Set.of(host, soloNode);
    assertThat(calls.stream().filter(c -> c.unanswered() && !victims.contains(c.node())).toList())
        .as("unanswered requests on the surviving node").isEmpty();
    assertThat(calls.stream().filter(c -> !c.admitted() && !c.unanswered())
            .map(c -> c.status() + " " + c.errorType()).collect(Collectors.toSet()))
        .as("refusals").isSubsetOf("429 budget_exceeded", "429 rate_limit_error", "503 budget_unavailable");
    assertThat(calls.stream().filter(c -> c.cut() && !victims.contains(c.node())).toList())
        .as("streams cut on the surviving node").isEmpty();
    assertThat(calls.stream().filter(c -> c.admitted() && !c.cut() && (c.usage() == null || c.errorType() != null)))
        .as("admitted answers without their usage, or with an error").isEmpty();

    // every answer a client received has exactly one audit record, billed what the client received
    assertEveryAnswerAuditedOnce(callsA, audit, victims);
    assertEveryAnswerAuditedOnce(callsB, auditB, victims);

    // what the clients received costs no more than any budget
    long receivedA = receivedCost(callsA);
    assertThat(receivedA).as("Σ cost received by A's clients within A's budget").isLessThanOrEqualTo(budget);
    assertThat(receivedCost(callsA.stream().filter(c -> c.is(STREAM)).toList()))
        .as("Σ cost received on the streaming key within its budget").isLessThanOrEqualTo(streamBudget);
    assertThat(receivedCost(callsB)).as("Σ cost received by B's clients within B's budget")
        .isLessThanOrEqualTo(soloBudget);

    // what was admitted and never answered was in flight on a dead node, and costs no more than the budget with the rest
    long auditedCost = leasedCost(audit);
    Set<String> answered = callsA.stream().filter(ChaosCall::admitted).map(ChaosCall::requestId).collect(Collectors.toSet());
    List<JsonNode> unseen = audit.stream()
        .filter(r -> leased(r) && !answered.contains(r.get("request_id").asText())).toList();
    assertThat(unseen.size()).as("admitted but never answered (dead nodes)")
        .isLessThanOrEqualTo(inFlightAtKill + inFlightAtSoloKill);
    assertThat(auditedCost).as("cost of every admission of A").isLessThanOrEqualTo(budget);
    assertThat(leasedCost(auditB)).as("cost of every admission of B").isLessThanOrEqualTo(soloBudget);

    // the ledger never passed the budget and equals the audit records for every limit, to the micro-dollar
    long spent = usd.get("spent").asLong();
    assertThat(spent).as("ledger spend within the budget of %d micro-dollars", budget).isLessThanOrEqualTo(budget);
    JsonNode reconciled = admin.reconcile(survivorUrl, tenant, "daily");
    assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
    assertThat(reconciled.at("/data/0/ledger_micros").asLong()).isEqualTo(spent);
    assertThat(reconciled.at("/data/0/audit_micros").asLong()).isEqualTo(auditedCost);
    assertThat(auditedCost).as("ledger spend = sum of the audited costs").isEqualTo(spent);
    LedgerCheck.assertExact(admin.reconcileAll(survivorUrl, tenant, Instant.now()), audit);
    LedgerCheck.assertExact(admin.reconcileAll(survivorUrl, solo, Instant.now()), auditB);

    // by the clients' own clocks, no minute admitted more than the rate limit on the rate-limited key
    List<ChaosCall> rpmAdmitted = callsA.stream().filter(c -> c.admitted() && c.is(RATE)).toList();
    assertThat(rpmAdmitted).as("admissions on the rate-limited key").isNotEmpty();
    Map<Instant, Long> perMinute = ClientMinutes.surelyIn(rpmAdmitted);
    Map<Instant, Long> perTwoMinutes = ClientMinutes.surelyInTwo(rpmAdmitted);
    System.out.println("BudgetChaosTest: rate-limited admissions per minute by the clients' clocks: " + perMinute
        + ", per two minutes: " + perTwoMinutes);
    assertThat(perMinute.values()).as("admissions surely within one minute: %s", perMinute)
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(RPM));
    assertThat(perTwoMinutes.values()).as("admissions surely within two minutes: %s", perTwoMinutes)
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2L * RPM));

    // and the per-minute ledger of the rate-limited key equals its audit records, minute by minute
    // (a call counts in the minute of its record's admission time)
    for (Instant minute : lastMinutesWithAdmissions(callsA, RATE)) {
      LedgerCheck.assertExact(admin.reconcileMinute(survivorUrl, tenant, minute), audit);
    }
  }

  private static final String BUDGET = "budget";
  private static final String RATE = "rpm";
  private static final String STREAM = "stream";
  private static final String SOLO = "solo";

  /**
   * Every answered call (a stream its node's death cut off included: its client received part of
   * it) has exactly one audit record with its status, billed the usage the client received. The one
   * exception is by design: a call a killed node answered before its final record was written is
   * recorded by the lease reconciliation from its admission row, as {@code node_lost}, billed its
   * reserved worst case (never less than what its client received) and marked estimated.
   */
  private static void assertEveryAnswerAuditedOnce(List<ChaosCall> calls, List<JsonNode> audit, Set<Integer> victims) {
    Map<String, List<JsonNode>> byRequest = audit.stream()
        .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
    assertThat(byRequest.values().stream().filter(rs -> rs.size() != 1).toList())
        .as("request ids with more than one audit record").isEmpty();
    List<ChaosCall> lost = calls.stream().filter(c -> !c.unanswered() && !byRequest.containsKey(c.requestId())).toList();
    assertThat(lost).as("answered calls without an audit record (a killed node's last answers included)").isEmpty();
    for (ChaosCall call : calls.stream().filter(c -> !c.unanswered()).toList()) {
      JsonNode record = byRequest.get(call.requestId()).get(0);
      if ("node_lost".equals(record.path("error_type").asText()) && call.admitted()) {
        assertThat(victims).as("node of the lost record %s", call.requestId()).contains(call.node());
        assertThat(record.get("usage_estimated").asBoolean()).as("lost record %s estimated", call.requestId()).isTrue();
        assertThat(record.get("cost_micros").asLong()).as("lost record %s billed at least what was received",
            call.requestId()).isGreaterThanOrEqualTo(call.receivedCostMicros(MODEL));
        continue;
      }
      if (call.cut()) {
        // Received in part before its node died: billed from its lease, whatever its record's final state.
        assertThat(record.path("lease_id").asText("")).as("lease of the cut stream %s", call.requestId()).isNotBlank();
        continue;
      }
      assertThat(record.get("status").asInt()).as("status of %s", call.requestId()).isEqualTo(call.status());
      assertThat(leased(record)).as("request %s was admitted from a lease", call.requestId())
          .isEqualTo(call.admitted());
      if (call.admitted()) {
        assertThat(record.get("output_tokens").asLong()).as("billed output of %s", call.requestId())
            .isEqualTo(call.usage().completionTokens());
        assertThat(record.get("cost_micros").asLong()).as("billed cost of %s", call.requestId())
            .isEqualTo(call.receivedCostMicros(MODEL));
      }
    }
  }

  /**
   * A survivor hosts the entity now: of all three nodes (the dead one cannot answer), exactly one says
   * it hosts it, it is {@code survivor}, and it names its own cluster address.
   */
  private static void assertEntityMovedTo(List<String> urls, String tenant, int survivor) {
    Awaitility.await("the entity hosted by the survivor").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          Map<Integer, JsonNode> hosts = new TreeMap<>();
          for (int i = 0; i < urls.size(); i++) {
            JsonNode answer = admin.budgetEntityOrNull(urls.get(i), tenant);
            if (answer != null && answer.get("hosted_here").asBoolean()) {
              hosts.put(i, answer);
            }
          }
          assertThat(hosts.keySet()).as("nodes hosting the entity of %s", tenant).containsExactly(survivor);
          assertThat(hosts.get(survivor).get("node").asText()).isEqualTo(cluster.node(survivor).address());
        });
  }

  private static void awaitNoLeaseHolds(String node, String tenant) {
    Awaitility.await("no lease of " + tenant + " holds any budget").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> {
          JsonNode spend = admin.spend(node, tenant);
          assertThat(spend.get("expired_lease_ids")).as("expired leases not reconciled yet").isEmpty();
          for (JsonNode line : spend.get("data")) {
            assertThat(line.get("held").asLong()).as("held by %s", line).isZero();
          }
        });
  }

  /** The node with the lowest cluster address: the one keep-majority keeps when two nodes split one to one. */
  private static int lowestAddress() {
    int lowest = 0;
    for (int i = 1; i < cluster.size(); i++) {
      if (cluster.node(i).clusterPort() < cluster.node(lowest).clusterPort()) {
        lowest = i;
      }
    }
    return lowest;
  }

  /** The last two minutes (the ones the entity keeps) in which the clients saw {@code label} calls admitted. */
  private static List<Instant> lastMinutesWithAdmissions(List<ChaosCall> calls, String label) {
    List<Instant> minutes = calls.stream().filter(c -> c.admitted() && c.is(label))
        .map(c -> ClientMinutes.minuteOf(c.sentAt())).distinct().sorted().toList();
    return minutes.subList(Math.max(0, minutes.size() - 2), minutes.size());
  }

  private static long receivedCost(List<ChaosCall> calls) {
    return calls.stream().filter(ChaosCall::admitted).mapToLong(c -> c.receivedCostMicros(MODEL)).sum();
  }

  private static long leasedCost(List<JsonNode> audit) {
    return audit.stream().filter(BudgetChaosTest::leased).mapToLong(r -> r.get("cost_micros").asLong()).sum();
  }

  private static String usdLimit(String scope, long micros) {
    return "{\"scope\":\"" + scope + "\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\""
        + BudgetAdmin.usd(micros) + "\"}";
  }

  /** Waits until every node knows both keys and reaches the tenant's budget entity. */
  private static void awaitEveryNodeServes(List<String> urls, String tenant, ChaosAdmin.Key... keys) {
    Awaitility.await("every node serves the tenant").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          for (String url : urls) {
            assertThat(admin.raw(url, "GET", "/admin/tenants/" + tenant + "/limits", null).statusCode())
                .as("limits on %s", url).isEqualTo(200);
            for (ChaosAdmin.Key key : keys) {
              assertThat(admin.models(url, key.secret())).as("key %s on %s", key.keyId(), url).isEqualTo(200);
            }
          }
        });
  }

  /** The index of the only node (among those not {@code excluded}) that hosts the tenant's entity. */
  private static int entityHost(List<String> urls, String tenant, Set<Integer> excluded) {
    int[] host = new int[1];
    Awaitility.await("the node hosting the budget entity").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          List<Integer> hosts = new ArrayList<>();
          for (int i = 0; i < urls.size(); i++) {
            if (!excluded.contains(i) && admin.budgetEntity(urls.get(i), tenant).get("hosted_here").asBoolean()) {
              hosts.add(i);
            }
          }
          assertThat(hosts).as("nodes hosting the entity of %s", tenant).hasSize(1);
          host[0] = hosts.get(0);
        });
    return host[0];
  }

  /**
   * Waits (when that takes at most 30 s) so the traffic starts at second 42 of a UTC minute: the
   * minute then ends after the kill and, usually, before the budget runs out, so the rate-limited
   * key is admitted in two minute windows (one is enough for the assertions).
   */
  private static void startNearTheEndOfAMinute() {
    int second = Instant.now().atZone(ZoneOffset.UTC).getSecond();
    int wait = Math.floorMod(42 - second, 60);
    if (wait > 0 && wait <= 30) {
      Awaitility.await("ten seconds before the minute ends").pollDelay(Duration.ofSeconds(wait))
          .atMost(Duration.ofSeconds(wait + 5)).until(() -> true);
    }
  }

  /** A fixed offset at which it is around noon now, so the daily window cannot end during the test. */
  private static String zoneAtNoon() {
    int hour = Instant.now().atZone(ZoneOffset.UTC).getHour();
    int offset = 12 - hour;
    return offset == 0 ? "UTC" : ZoneOffset.ofHours(offset).getId();
  }

  private static String streamBody() {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + STREAM_MAX_TOKENS + ",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"[[fake:chunks=" + STREAM_CHUNKS + ",delay=100]] " + PROMPT + "\"}]}";
  }

  private static String chatBody() {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
  }

  /**
   * A record of a call admitted from a lease, whatever its status: answered (200), cut by a kill or
   * lost with its node (billed at its worst case by the reconciliation) all count in the ledger.
   */
  private static boolean leased(JsonNode record) {
    return !record.path("lease_id").asText("").isBlank();
  }

  /** Outcomes per second of sending (A admitted, B budget_exceeded, R rate limited, U budget_unavailable, X unanswered). */
  private static String timeline(List<ChaosCall> calls, Instant start) {
    Map<Long, List<ChaosCall>> bySecond = calls.stream().collect(Collectors.groupingBy(
        c -> Duration.between(start, c.sentAt()).toSeconds(), TreeMap::new, Collectors.toList()));
    StringBuilder out = new StringBuilder();
    bySecond.forEach((second, cs) -> out.append(String.format("%n  %3ds A%-4d B%-4d R%-4d U%-4d X%d", second,
        cs.stream().filter(ChaosCall::admitted).count(),
        cs.stream().filter(c -> "budget_exceeded".equals(c.errorType())).count(),
        cs.stream().filter(c -> "rate_limit_error".equals(c.errorType())).count(),
        cs.stream().filter(c -> "budget_unavailable".equals(c.errorType())).count(),
        cs.stream().filter(ChaosCall::unanswered).count())));
    return out.toString();
  }

  private static String summary(List<ChaosCall> calls, int inFlightAtKill, int exitStatus, int admittedBeforeKill,
      Instant killedAt, Instant exhaustedAt, Instant start, Instant end, JsonNode usd, long budget, int auditRecords) {
    Map<String, Long> outcomes = calls.stream().collect(Collectors.groupingBy(
        c -> c.unanswered() ? "unanswered" : c.status() + (c.errorType() == null ? "" : " " + c.errorType()),
        Collectors.counting()));
    return "calls=" + calls.size() + " outcomes=" + outcomes + " admittedBeforeKill=" + admittedBeforeKill
        + " inFlightAtKill=" + inFlightAtKill + " exit=" + exitStatus
        + " killAfter=" + Duration.between(start, killedAt).toMillis() + "ms"
        + " exhaustedAfter=" + Duration.between(start, exhaustedAt).toMillis() + "ms"
        + " run=" + Duration.between(start, end).toMillis() + "ms"
        + " budget=" + budget + " spent=" + usd.get("spent").asLong() + " auditRecords=" + auditRecords;
  }
}
