package io.tollgate.node.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.Behaviour;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.CatalogPrice;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.ClusterOfProcesses.NodeSpec;
import io.tollgate.persistence.testing.TestCassandra;
import io.tollgate.protocol.usage.TokenCounter;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two regions of two node JVMs each on loopback ({@code a1, a2} in region {@code a}, the seed's,
 * so the default home and the primary; {@code b1, b2} in {@code b}), one Cassandra, and one fake
 * provider per region in this JVM. The model {@code geo-chat} has one deployment per region:
 * {@code geo-a} on region a's provider, {@code geo-b} on region b's.
 *
 * <p>The scenario, in order: each region serves its clients from its own deployment; region a's
 * provider stops and a's clients keep getting answers via region b while a's circuit for
 * {@code geo-a} opens; both a nodes are killed and b's clients do not notice (a tenant homed in a
 * spends from the leases b took from a's budget entity, a tenant without limits needs no lease);
 * the tenant's home moves to b, which recovers the budget from the journal: spending goes on until
 * the budget is used up, and once the dead nodes' leases expired and were reconciled from their
 * audit records, the ledger equals the audited cost of everything admitted in both regions and
 * never passed the budget.
 */
class TwoRegionTest {
  private static final String MODEL = "geo-chat";
  private static final String GEO_A = "geo-a";
  private static final String GEO_B = "geo-b";
  private static final String PROMPT = "Say hello to the region test";
  private static final int MAX_TOKENS = 8;
  private static final BigDecimal INPUT_USD_PER_M = new BigDecimal("1.00");
  private static final BigDecimal OUTPUT_USD_PER_M = new BigDecimal("2.00");
  private static final int BUDGET_REQUESTS = 200;
  /** Budget-key calls of the stream to b during the kill: 3 per b node, after a fresh lease admitted one. */
  private static final Set<Integer> LIMITED_DURING_KILL = Set.of(10, 11, 20, 21, 30, 31);
  private static final Duration FAILOVER_WITHIN = Duration.ofSeconds(2);

  static FakeProvider fakeA;
  static FakeProvider fakeB;
  static ClusterOfProcesses cluster;
  static RegionAdmin admin;
  static String a1;
  static String a2;
  static String b1;
  static String b2;

  // The scenario's state, step to step.
  private String tenant;
  private RegionAdmin.Key key;
  private RegionAdmin.Key freeKey;
  private long budget;
  private Instant trafficStart;
  private long spentBeforeKill;
  /** Every call made with the budgeted key, in order. */
  private final List<RegionAdmin.Chat> limited = new ArrayList<>();

  @BeforeAll
  static void start() {
    String cassandra = TestCassandra.contactPoint();
    fakeA = FakeProvider.start(FakeProviderSettings.defaults().withName("fake-a"));
    fakeB = FakeProvider.start(FakeProviderSettings.defaults().withName("fake-b"));
    fakeA.setBehaviour(Behaviour.defaults().withLatencyMillis(20));
    fakeB.setBehaviour(Behaviour.defaults().withLatencyMillis(20));
    admin = new RegionAdmin(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build());
    Map<String, String> settings = new LinkedHashMap<>();
    provider(settings, "prov-a", fakeA);
    provider(settings, "prov-b", fakeB);
    settings.put("tollgate.models." + MODEL + ".strategy", "priority");
    deployment(settings, 0, GEO_A, "prov-a", "geo-model-a", "a");
    deployment(settings, 1, GEO_B, "prov-b", "geo-model-b", "b");
    // Leases live shorter than the test, so the dead nodes' expire and are reconciled within it;
    // idle ones return soon, so the leases held at the kill are fresh ones.
    settings.put("tollgate.budget.lease-ttl", "12s");
    settings.put("tollgate.budget.idle-return", "3s");
    settings.put("tollgate.budget.expiry-check-interval", "1s");
    // Both regions share the test Cassandra's one data center.
    settings.put("tollgate.regions.replication.datacenter1", "1");
    settings.put("tollgate.regions.fence-timeout", "2s");
    settings.put("tollgate.upstream.response-timeout", "10s");
    cluster = ClusterOfProcesses.startRegions(
        List.of(NodeSpec.in("a"), NodeSpec.in("a"), NodeSpec.in("b"), NodeSpec.in("b")),
        cassandra, fakeA.url(), settings, Path.of("target", "regions-" + ProcessHandle.current().pid()), null);
    a1 = cluster.node(0).url();
    a2 = cluster.node(1).url();
    b1 = cluster.node(2).url();
    b2 = cluster.node(3).url();
  }

  @AfterAll
  static void stop() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      for (FakeProvider fake : new FakeProvider[] {fakeA, fakeB}) {
        if (fake != null) {
          fake.stop();
        }
      }
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void region_a_fails_over_to_b_then_dies_and_its_tenant_moves_to_b_with_an_exact_budget() {
    givenATenantWithABudgetAndOneWithoutHomedInA();
    eachRegionServesItsClientsFromItsOwnDeployment();
    whenRegionAsProviderStopsItsClientsAreServedViaB();
    whenBothANodesDieBsClientsSeeNoErrors();
    whenTheTenantMovesToBItsSpendContinuesExactlyFromTheLedger();
  }

  private void givenATenantWithABudgetAndOneWithoutHomedInA() {
    tenant = "reg-" + UUID.randomUUID().toString().substring(0, 8);
    String free = "free-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createTenant(a1, tenant);
    admin.createTenant(a1, free);
    key = admin.createKey(a1, tenant, "spender");
    freeKey = admin.createKey(a1, free, "free");
    budget = worstCaseMicros() * BUDGET_REQUESTS;
    admin.setLimits(b1, tenant, "{\"time_zone\":\"" + zoneAtNoon() + "\",\"limits\":[{\"scope\":\"tenant\","
        + "\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"" + BudgetAdmin.usd(budget) + "\"}]}");
    awaitEveryNodeServes(List.of(a1, a2, b1, b2));
    assertThat(admin.home(b1, tenant).get("region").asText()).as("default home").isEqualTo("a");
    trafficStart = Instant.now();
  }

  private void eachRegionServesItsClientsFromItsOwnDeployment() {
    long servedByA = fakeA.requestCount("geo-model-a");
    long servedByB = fakeB.requestCount("geo-model-b");
    List<RegionAdmin.Chat> inA = new ArrayList<>();
    List<RegionAdmin.Chat> inB = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      for (RegionAdmin.Key k : List.of(key, freeKey)) {
        inA.add(chat(a1, k));
        inA.add(chat(a2, k));
        inB.add(chat(b1, k));
        inB.add(chat(b2, k));
      }
    }
    assertThat(inA).as("region a's clients").allSatisfy(c -> assertServedBy(c, GEO_A, "a", 1));
    assertThat(inB).as("region b's clients").allSatisfy(c -> assertServedBy(c, GEO_B, "b", 1));
    assertThat(fakeA.requestCount("geo-model-a") - servedByA).as("calls region a's provider got").isEqualTo(inA.size());
    assertThat(fakeB.requestCount("geo-model-b") - servedByB).as("calls region b's provider got").isEqualTo(inB.size());
  }

  private void whenRegionAsProviderStopsItsClientsAreServedViaB() {
    Instant stoppedAt;
    Instant pausedAt;
    List<CallStream.Sent> calls;
    try (CallStream stream = CallStream.start(admin, List.of(a1, a2), i -> (i / 2) % 2 == 0 ? freeKey : key,
        chatBody())) {
      Awaitility.await("a steady stream to region a").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20)).until(() -> stream.count() >= 4);
      stoppedAt = Instant.now();
      fakeA.pause();
      pausedAt = Instant.now();

      // The circuit of geo-a opens in region a (both its nodes see it); region b's stays closed
      Awaitility.await("geo-a open on a1").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(admin.circuitPhase(a1, GEO_A)).isEqualTo("open"));
      Awaitility.await("geo-a open on a2").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(admin.circuitPhase(a2, GEO_A)).isIn("open", "half_open"));
      assertThat(admin.circuitPhase(b1, GEO_A)).as("region b's circuit of geo-a").isEqualTo("closed");
      Instant until = stoppedAt.plus(FAILOVER_WITHIN).plusSeconds(1);
      Awaitility.await("calls after the failover window").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> stream.calls().stream().anyMatch(c -> c.at().isAfter(until)));
      calls = stream.stop();
    }
    limited.addAll(calls.stream().filter(c -> c.key() == key).map(CallStream.Sent::chat).toList());

    Instant windowEnd = stoppedAt.plus(FAILOVER_WITHIN);
    List<RegionAdmin.Chat> before = chats(calls, c -> c.at().isBefore(stoppedAt));
    List<RegionAdmin.Chat> firstTwoSeconds = chats(calls, c -> !c.at().isBefore(stoppedAt) && c.at().isBefore(windowEnd));
    List<RegionAdmin.Chat> afterTwoSeconds = chats(calls, c -> !c.at().isBefore(windowEnd));
    List<RegionAdmin.Chat> afterPause = chats(calls, c -> !c.at().isBefore(pausedAt));
    assertThat(before).as("calls before the stop").isNotEmpty().extracting(RegionAdmin.Chat::status).containsOnly(200);
    assertThat(before.get(0).deployment()).as("the steady state of region a").isEqualTo(GEO_A);
    assertThat(firstTwoSeconds).as("calls in the first %s after the stop: failover per request", FAILOVER_WITHIN)
        .extracting(RegionAdmin.Chat::status).containsOnly(200);
    assertThat(afterTwoSeconds).as("calls from %s after the stop on", FAILOVER_WITHIN).isNotEmpty()
        .allSatisfy(c -> assertServedBy(c, GEO_B, "b", null));
    assertThat(afterPause).as("calls sent once region a's provider was down")
        .allSatisfy(c -> assertServedBy(c, GEO_B, "b", null));
    assertThat(afterPause).as("some calls tried geo-a first, invisibly")
        .anySatisfy(c -> assertThat(c.attempts()).isGreaterThanOrEqualTo(2));
  }

  private void whenBothANodesDieBsClientsSeeNoErrors() {
    // Every lease went idle and was returned, so the leases taken next are fresh ones
    Awaitility.await("no lease held").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(admin.spendLine(a1, tenant, "tenant", "usd").get("held").asLong()).isZero());
    // Every node takes a lease from the entity in a: at least four requests' worst case each
    List<RegionAdmin.Chat> leasing = List.of(chat(a1, key), chat(a2, key), chat(b1, key), chat(b2, key));
    assertThat(leasing).extracting(RegionAdmin.Chat::status).containsOnly(200);
    assertThat(admin.spendLine(b1, tenant, "tenant", "usd").get("held").asLong()).as("leases held").isPositive();
    assertThat(List.of(a1, a2)).as("the budget entity runs in its home a")
        .anyMatch(n -> admin.budgetEntity(n, tenant).get("hosted_here").asBoolean());
    assertThat(List.of(b1, b2)).as("not in b")
        .noneMatch(n -> admin.budgetEntity(n, tenant).get("hosted_here").asBoolean());
    spentBeforeKill = admin.spendLine(b1, tenant, "tenant", "usd").get("spent").asLong();

    int exitA1;
    int exitA2;
    Instant killedAt;
    List<CallStream.Sent> calls;
    try (CallStream stream = CallStream.start(admin, List.of(b1, b2),
        i -> LIMITED_DURING_KILL.contains(i) ? key : freeKey, chatBody())) {
      Awaitility.await("a steady stream to region b").atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(20)).until(() -> stream.count() >= 4);
      exitA1 = cluster.node(0).kill();
      exitA2 = cluster.node(1).kill();
      killedAt = Instant.now();
      int lastLimited = LIMITED_DURING_KILL.stream().mapToInt(Integer::intValue).max().orElseThrow();
      Awaitility.await("calls to b after the kill").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> stream.count() > lastLimited
              && stream.calls().stream().anyMatch(c -> c.at().isAfter(killedAt.plusSeconds(3))));
      calls = stream.stop();
    }
    List<RegionAdmin.Chat> limitedCalls = chats(calls, c -> c.key() == key);
    limited.addAll(limitedCalls);

    assertThat(List.of(exitA1, exitA2)).as("exit status of the killed a nodes (128 + SIGKILL)").containsOnly(137);
    assertThat(chats(calls, c -> true)).as("answers to b's clients while region a dies and after")
        .allSatisfy(c -> assertServedBy(c, GEO_B, "b", 1));
    assertThat(chats(calls, c -> c.at().isAfter(killedAt))).as("calls after the kill").isNotEmpty();
    assertThat(limitedCalls).as("the budgeted tenant's calls, served from b's leases")
        .hasSize(LIMITED_DURING_KILL.size());
  }

  private void whenTheTenantMovesToBItsSpendContinuesExactlyFromTheLedger() {
    JsonNode moved = admin.moveHome(b1, tenant, "b");

    // b recovers the budget from the journal and spending goes on until it is used up
    assertThat(moved.get("moved").asBoolean()).isTrue();
    assertThat(moved.get("from").asText()).isEqualTo("a");
    assertThat(moved.get("region").asText()).isEqualTo("b");
    assertThat(moved.get("settled").asBoolean()).isTrue();
    assertThat(moved.get("fenced").asBoolean()).as("dead region a could not confirm the fence").isFalse();
    Awaitility.await("both b nodes send the tenant's budget to b").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          assertThat(admin.home(b1, tenant).get("served_from").asText()).isEqualTo("b");
          assertThat(admin.home(b2, tenant).get("served_from").asText()).isEqualTo("b");
        });
    assertThat(admin.spendLine(b1, tenant, "tenant", "usd").get("spent").asLong())
        .as("the ledger recovered in b").isGreaterThanOrEqualTo(spentBeforeKill).isPositive();
    List<RegionAdmin.Chat> afterMove = new ArrayList<>();
    while (afterMove.size() < 4 * BUDGET_REQUESTS) {
      RegionAdmin.Chat call = chat(afterMove.size() % 2 == 0 ? b1 : b2, key);
      afterMove.add(call);
      if ("budget_exceeded".equals(call.errorType())) {
        break;
      }
    }
    assertThat(List.of(b1, b2)).as("the budget entity now runs in b")
        .anyMatch(n -> admin.budgetEntity(n, tenant).get("hosted_here").asBoolean());
    assertThat(afterMove.get(afterMove.size() - 1).errorType()).as("the budget ran out").isEqualTo("budget_exceeded");
    assertThat(afterMove.subList(0, afterMove.size() - 1)).as("answers in b after the move")
        .allSatisfy(c -> assertServedBy(c, GEO_B, "b", 1));
    assertThat(afterMove.stream().filter(RegionAdmin.Chat::ok).count()).as("admitted after the move").isPositive();

    // Once the dead nodes' leases expired and were reconciled from their audit records ...
    Awaitility.await("no lease holds any budget").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(admin.spend(b1, tenant).get("expired_lease_ids")).as("expired leases not reconciled yet").isEmpty();
          assertThat(admin.spendLine(b1, tenant, "tenant", "usd").get("held").asLong()).isZero();
        });
    long spent = admin.spendLine(b1, tenant, "tenant", "usd").get("spent").asLong();
    JsonNode reconciled = admin.reconcile(b1, tenant);
    List<JsonNode> audit = admin.audit(b1, tenant, trafficStart.minusSeconds(300), Instant.now().plusSeconds(60));
    long auditedCost = audit.stream().filter(TwoRegionTest::leased).mapToLong(r -> r.get("cost_micros").asLong()).sum();

    // ... the ledger never passed the budget and equals the audited cost of every admission in both regions
    assertThat(spent).as("ledger within the budget of %d micro-dollars", budget).isLessThanOrEqualTo(budget);
    assertThat(spent).as("ledger = sum of the audited costs").isEqualTo(auditedCost);
    assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
    Set<String> answered = limited.stream().filter(RegionAdmin.Chat::ok).map(RegionAdmin.Chat::requestId)
        .collect(Collectors.toSet());
    Set<String> audited = audit.stream().filter(TwoRegionTest::leased).map(r -> r.get("request_id").asText())
        .collect(Collectors.toSet());
    assertThat(audited).as("every answered admission in either region is audited as leased").containsAll(answered);
    assertThat(audit.stream().collect(Collectors.groupingBy(r -> r.get("request_id").asText(), Collectors.counting()))
        .values()).as("one audit record per request").containsOnly(1L);
  }

  /** One chat call; the budgeted key's calls are kept for the ledger check. */
  private RegionAdmin.Chat chat(String node, RegionAdmin.Key k) {
    RegionAdmin.Chat c = admin.chat(node, k.secret(), chatBody());
    if (k == key) {
      limited.add(c);
    }
    return c;
  }

  private static void assertServedBy(RegionAdmin.Chat c, String deployment, String region, Integer attempts) {
    assertThat(c.status()).as("status of %s (%s)", c.requestId(), c.errorType()).isEqualTo(200);
    assertThat(c.deployment()).as("x-tollgate-deployment of %s", c.requestId()).isEqualTo(deployment);
    assertThat(c.region()).as("x-tollgate-region of %s", c.requestId()).isEqualTo(region);
    if (attempts != null) {
      assertThat(c.attempts()).as("x-tollgate-attempts of %s", c.requestId()).isEqualTo(attempts);
    }
  }

  private static List<RegionAdmin.Chat> chats(List<CallStream.Sent> calls, Predicate<CallStream.Sent> which) {
    return calls.stream().filter(which).map(CallStream.Sent::chat).toList();
  }

  /** Waits until every node knows both keys and the tenant's limits. */
  private void awaitEveryNodeServes(List<String> urls) {
    Awaitility.await("every node serves the tenants").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          for (String url : urls) {
            assertThat(admin.raw(url, "GET", "/admin/tenants/" + tenant + "/limits", null).statusCode())
                .as("limits on %s", url).isEqualTo(200);
            for (RegionAdmin.Key k : List.of(key, freeKey)) {
              assertThat(admin.models(url, k.secret())).as("key %s on %s", k.keyId(), url).isEqualTo(200);
            }
          }
        });
  }

  private static void provider(Map<String, String> settings, String name, FakeProvider fake) {
    String at = "tollgate.providers." + name + ".";
    settings.put(at + "schema", "openai");
    settings.put(at + "base-url", fake.url() + "/v1");
    settings.put(at + "api-key", FakeProviderSettings.DEFAULT_API_KEY);
  }

  /** One deployment of the model group, as HOCON list element {@code index} (a numbered object). */
  private static void deployment(Map<String, String> settings, int index, String id, String provider,
      String upstreamModel, String region) {
    String at = "tollgate.models." + MODEL + ".deployments." + index + ".";
    settings.put(at + "id", id);
    settings.put(at + "provider", provider);
    settings.put(at + "upstream-model", upstreamModel);
    settings.put(at + "region", region);
    settings.put(at + "priority", "1");
    settings.put(at + "weight", "1");
    settings.put(at + "price.input", INPUT_USD_PER_M.toPlainString());
    settings.put(at + "price.output", OUTPUT_USD_PER_M.toPlainString());
  }

  /**
   * What the gateway reserves for one chat call: the prompt counted with o200k plus OpenAI's
   * framing (3 per message and 3 for the reply), priced as if every output token were used (both
   * deployments have the same price).
   */
  private static long worstCaseMicros() {
    long prompt = 3 + 3 + TokenCounter.count(PROMPT);
    return new CatalogPrice(INPUT_USD_PER_M, OUTPUT_USD_PER_M, INPUT_USD_PER_M, INPUT_USD_PER_M)
        .costMicros(prompt, 0, 0, MAX_TOKENS);
  }

  /** A fixed offset at which it is around noon now, so the daily window cannot end during the test. */
  private static String zoneAtNoon() {
    int offset = 12 - Instant.now().atZone(ZoneOffset.UTC).getHour();
    return offset == 0 ? "UTC" : ZoneOffset.ofHours(offset).getId();
  }

  private static String chatBody() {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + MAX_TOKENS
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}";
  }

  private static boolean leased(JsonNode record) {
    return !record.path("lease_id").asText("").isBlank() && record.get("status").asInt() == 200;
  }
}
