package io.tollgate.node.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.Behaviour;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.testing.BudgetAdmin;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.ClusterOfProcesses.NodeSpec;
import io.tollgate.persistence.testing.TestCassandra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Budgets across two regions, each one node JVM on loopback ({@code a}, the seed, default home and
 * primary; {@code b}), one Cassandra and the fake provider in this JVM.
 *
 * <p>A tenant homed in {@code a} with a daily USD budget spends through both regions: region b's
 * node takes its leases from the entity in a. Then a's node is killed with SIGKILL: b keeps
 * answering from the lease it holds, and a tenant without limits does not notice at all. The home
 * moves to b (a is dead, so nobody confirms the fence): b recovers the budget from the journal,
 * spending goes on until the budget is used up, and once the dead node's leases expired and were
 * reconciled from its audit records, the ledger equals the audited cost of everything admitted in
 * both regions and never passed the budget.
 */
class TwoRegionBudgetTest {
  private static final String MODEL = "demo-openai";
  private static final String PROMPT = "Say hello to the region test";
  private static final int MAX_TOKENS = 8;
  private static final int BUDGET_REQUESTS = 80;
  private static final String ADMIN_PORT = "tollgate.test.region-admin-port";

  static FakeProvider fake;
  static ClusterOfProcesses cluster;
  static RegionAdmin admin;
  static String adminA;
  static String adminB;

  @BeforeAll
  static void start() {
    String cassandra = TestCassandra.contactPoint();
    fake = FakeProvider.start(FakeProviderSettings.defaults());
    fake.setBehaviour(Behaviour.defaults().withLatencyMillis(20));
    admin = new RegionAdmin(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build());
    List<Integer> adminPorts = freePorts(2);
    adminA = "http://127.0.0.1:" + adminPorts.get(0);
    adminB = "http://127.0.0.1:" + adminPorts.get(1);
    cluster = ClusterOfProcesses.startRegions(
        List.of(new NodeSpec("a", Map.of(ADMIN_PORT, adminPorts.get(0).toString())),
            new NodeSpec("b", Map.of(ADMIN_PORT, adminPorts.get(1).toString()))),
        cassandra, fake.url(), Map.of(
            // Leases outlive the move below; the dead node's expire and are reconciled within the test.
            "tollgate.budget.lease-ttl", "12s",
            "tollgate.budget.expiry-check-interval", "1s",
            "tollgate.budget.reconcile-after", "60s",
            // Both regions share the test Cassandra's one data center.
            "tollgate.regions.replication.datacenter1", "1",
            "tollgate.regions.fence-timeout", "2s",
            "tollgate.upstream.response-timeout", "10s"),
        Path.of("target", "regions-" + ProcessHandle.current().pid()), RegionNodeMain.class.getName());
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
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_budget_homed_in_a_stays_exact_across_regions_through_the_loss_of_a_and_a_move_to_b() {
    String a = cluster.node(0).url();
    String b = cluster.node(1).url();
    // Given a tenant with a daily budget worth BUDGET_REQUESTS requests and one without limits, homed in a
    String tenant = "reg-" + UUID.randomUUID().toString().substring(0, 8);
    String free = "free-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createTenant(a, tenant);
    admin.createTenant(a, free);
    RegionAdmin.Key key = admin.createKey(a, tenant, "spender");
    RegionAdmin.Key freeKey = admin.createKey(a, free, "free");
    long budget = BudgetAdmin.worstCaseMicros(MODEL, PROMPT, MAX_TOKENS) * BUDGET_REQUESTS;
    admin.setLimits(b, tenant, "{\"time_zone\":\"" + zoneAtNoon() + "\",\"limits\":[{\"scope\":\"tenant\","
        + "\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"" + BudgetAdmin.usd(budget) + "\"}]}");
    awaitBothRegionsServe(List.of(a, b), tenant, key, freeKey);
    assertThat(admin.home(adminB, tenant).get("region").asText()).isEqualTo("a");
    Instant trafficStart = Instant.now();

    // When both regions spend (b from leases granted across regions by the entity in a)
    List<RegionAdmin.Chat> beforeKill = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      beforeKill.add(admin.chat(a, key.secret(), chatBody()));
    }
    for (int i = 0; i < 20; i++) {
      beforeKill.add(admin.chat(b, key.secret(), chatBody()));
    }
    beforeKill.add(admin.chat(b, freeKey.secret(), chatBody()));
    assertThat(beforeKill).extracting(RegionAdmin.Chat::status).containsOnly(200);
    assertThat(admin.budgetEntity(a, tenant).get("hosted_here").asBoolean()).as("entity in its home a").isTrue();
    assertThat(admin.budgetEntity(b, tenant).get("hosted_here").asBoolean()).as("not in b").isFalse();
    long spentBeforeKill = admin.spendLine(b, tenant, "tenant", "usd").get("spent").asLong();

    // ... and region a dies
    int exit = cluster.node(0).kill();
    List<RegionAdmin.Chat> whileHomeless = new ArrayList<>();
    List<RegionAdmin.Chat> freeWhileHomeless = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      whileHomeless.add(admin.chat(b, key.secret(), chatBody()));
      freeWhileHomeless.add(admin.chat(b, freeKey.secret(), chatBody()));
    }

    // Then b serves from its lease, and the tenant without limits never needed the home
    assertThat(exit).as("exit status of the killed node (128 + SIGKILL)").isEqualTo(137);
    assertThat(whileHomeless).as("answers in b while the home region is dead")
        .extracting(RegionAdmin.Chat::status).containsOnly(200);
    assertThat(freeWhileHomeless).as("answers for the tenant without limits")
        .extracting(RegionAdmin.Chat::status).containsOnly(200);

    // When the home moves to b
    JsonNode moved = admin.moveHome(adminB, tenant, "b");

    // Then b recovers the budget from the journal and spending goes on until it is used up
    assertThat(moved.get("moved").asBoolean()).isTrue();
    assertThat(moved.get("from").asText()).isEqualTo("a");
    assertThat(moved.get("region").asText()).isEqualTo("b");
    assertThat(moved.get("settled").asBoolean()).isTrue();
    assertThat(moved.get("fenced").asBoolean()).as("dead region a could not confirm the fence").isFalse();
    assertThat(admin.home(adminB, tenant).get("served_from").asText()).isEqualTo("b");
    assertThat(admin.spendLine(b, tenant, "tenant", "usd").get("spent").asLong())
        .as("the ledger recovered in b").isGreaterThanOrEqualTo(spentBeforeKill).isPositive();
    List<RegionAdmin.Chat> afterMove = new ArrayList<>();
    while (afterMove.size() < 4 * BUDGET_REQUESTS) {
      RegionAdmin.Chat call = admin.chat(b, key.secret(), chatBody());
      afterMove.add(call);
      if ("budget_exceeded".equals(call.errorType())) {
        break;
      }
    }
    assertThat(admin.budgetEntity(b, tenant).get("hosted_here").asBoolean()).as("entity now in b").isTrue();
    assertThat(afterMove.get(afterMove.size() - 1).errorType()).as("the budget ran out").isEqualTo("budget_exceeded");
    assertThat(afterMove.subList(0, afterMove.size() - 1)).as("answers in b after the move")
        .extracting(RegionAdmin.Chat::status).containsOnly(200);
    assertThat(afterMove.stream().filter(c -> c.status() == 200).count()).as("admitted after the move").isPositive();

    // And once the dead node's leases expired and were reconciled from its audit records ...
    Awaitility.await("no lease holds any budget").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> {
          assertThat(admin.spend(b, tenant).get("expired_lease_ids")).as("expired leases not reconciled yet").isEmpty();
          assertThat(admin.spendLine(b, tenant, "tenant", "usd").get("held").asLong()).isZero();
        });
    long spent = admin.spendLine(b, tenant, "tenant", "usd").get("spent").asLong();
    JsonNode reconciled = admin.reconcile(b, tenant);
    List<JsonNode> audit = admin.audit(b, tenant, trafficStart.minusSeconds(300), Instant.now().plusSeconds(60));
    long auditedCost = audit.stream().filter(TwoRegionBudgetTest::leased).mapToLong(r -> r.get("cost_micros").asLong())
        .sum();

    // ... the ledger never passed the budget and equals the audited cost of every admission in both regions
    assertThat(spent).as("ledger within the budget of %d micro-dollars", budget).isLessThanOrEqualTo(budget);
    assertThat(spent).as("ledger = sum of the audited costs").isEqualTo(auditedCost);
    assertThat(reconciled.get("consistent").asBoolean()).as("reconcile: %s", reconciled).isTrue();
    List<RegionAdmin.Chat> limited = new ArrayList<>(beforeKill.subList(0, 35));
    limited.addAll(whileHomeless);
    limited.addAll(afterMove);
    Set<String> answered = limited.stream().filter(c -> c.status() == 200).map(RegionAdmin.Chat::requestId)
        .collect(Collectors.toSet());
    Set<String> audited = audit.stream().filter(TwoRegionBudgetTest::leased).map(r -> r.get("request_id").asText())
        .collect(Collectors.toSet());
    assertThat(audited).as("every answered admission in either region is audited as leased").containsAll(answered);
    assertThat(audit.stream().collect(Collectors.groupingBy(r -> r.get("request_id").asText(), Collectors.counting()))
        .values()).as("one audit record per request").containsOnly(1L);
  }

  /** Waits until both nodes know both keys and reach the tenant's budget entity in its home. */
  private static void awaitBothRegionsServe(List<String> urls, String tenant, RegionAdmin.Key... keys) {
    Awaitility.await("both regions serve the tenants").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          for (String url : urls) {
            assertThat(admin.raw(url, "GET", "/admin/tenants/" + tenant + "/limits", null).statusCode())
                .as("limits on %s", url).isEqualTo(200);
            for (RegionAdmin.Key key : keys) {
              assertThat(admin.models(url, key.secret())).as("key %s on %s", key.keyId(), url).isEqualTo(200);
            }
          }
        });
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

  private static List<Integer> freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only a port
        }
      }
    }
  }
}
