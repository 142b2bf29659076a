package io.tollgate.node.region;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.testing.AccountingClient;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.ClusterOfProcesses.NodeSpec;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.ReceivedAnswer;
import io.tollgate.node.testing.RegionNetworks;
import io.tollgate.persistence.cassandra.CassandraLauncher;
import io.tollgate.persistence.cassandra.CassandraLauncher.Placement;
import io.tollgate.persistence.cassandra.EmbeddedCassandra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
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
 * Two regions as two Cassandra data centers: region {@code a} (Cassandra data center {@code a} and
 * node {@code a1}, the seed, so every tenant's default home) and region {@code b} (data center
 * {@code b}, node {@code b1}), each in a network namespace of its own ({@link RegionNetworks}), the
 * keyspaces replicated to both data centers and written at {@code LOCAL_QUORUM}. The test reaches
 * both regions all along; only the traffic between them is cut.
 *
 * <p>First, a partition and its heal: both regions serve a tenant homed in {@code a} while they are
 * cut apart, so {@code b}'s settlements and audit records cannot reach {@code a} until the heal.
 * Then a dead region: {@code a}'s node and its Cassandra are killed while both regions serve, and
 * the tenant's home moves to {@code b}, which starts from what had replicated. Each checks what the
 * clients received against the ledger and the audit records of both data centers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoDataCentersTest {
  private static final String MODEL = "demo-openai";
  private static final String PROMPT = "[[fake:chunks=3]] across the regions";
  private static final int MAX_TOKENS = 16;
  /** Calls a budget allows, in calls of the size the fake answers this prompt with. */
  private static final int BUDGET_CALLS = 60;
  /**
   * The dead-region tenant's budget: more than both regions can spend before the move (two clients,
   * one call per 150 ms at most, for 10 s), so spending must go on in the new home.
   */
  private static final int DEAD_REGION_BUDGET_CALLS = 200;
  private static final long CALL_EVERY_MS = 150;
  /** The README's bound for a dead region: what it wrote in its last moments may not have replicated. */
  private static final Duration REPLICATION_BOUND = Duration.ofSeconds(1);

  static RegionNetworks networks;
  static EmbeddedCassandra cassandraA;
  static EmbeddedCassandra cassandraB;
  static FakeProvider fake;
  static ClusterOfProcesses cluster;
  static RegionAdmin admin;
  static AccountingClient client;
  static String a1;
  static String b1;
  /** What one call of {@link #PROMPT} costs, as its client works it out from the usage. */
  static long callMicros;

  @BeforeAll
  static void start() {
    networks = RegionNetworks.create(List.of("a", "b"));
    Path dir = Path.of("target", "two-dc-" + ProcessHandle.current().pid()).toAbsolutePath();
    int nativePort = freePort();
    int storagePort = freePort();
    // Both data centers start at once, each node a seed, and find each other by gossip.
    List<String> seeds = List.of(networks.host("a") + ":" + storagePort, networks.host("b") + ":" + storagePort);
    CompletableFuture<EmbeddedCassandra> b = CompletableFuture.supplyAsync(() -> cassandra(dir, "b", seeds,
        nativePort, storagePort));
    cassandraA = cassandra(dir, "a", seeds, nativePort, storagePort);
    cassandraB = b.join();
    // One provider both regions reach, partitioned or not: it listens on the root side of a's link.
    fake = FakeProvider.start(FakeProviderSettings.defaults().withHost(networks.gateway("a")));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    admin = new RegionAdmin(http);
    client = new AccountingClient(http, MODEL);

    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("tollgate.regions.replication.a", "1");
    settings.put("tollgate.regions.replication.b", "1");
    settings.put("tollgate.regions.fence-timeout", "2s");
    // The driver's view of the schema is not read by Tollgate; reloading it after each table the
    // first node creates only slows its start.
    settings.put("datastax-java-driver.advanced.metadata.schema.enabled", "false");
    // Leases live shorter than the test, so a cut-off region's run dry and a dead region's expire within it.
    settings.put("tollgate.budget.lease-ttl", "8s");
    settings.put("tollgate.budget.idle-return", "3s");
    settings.put("tollgate.budget.expiry-check-interval", "1s");
    cluster = ClusterOfProcesses.startRegions(List.of(node("a", cassandraA), node("b", cassandraB)),
        cassandraA.contactPoint(), fake.url(), settings, dir.resolve("nodes"), null);
    a1 = cluster.node(0).url();
    b1 = cluster.node(1).url();

    String free = "dc-free-" + UUID.randomUUID().toString().substring(0, 8);
    createTenant(free);
    RegionAdmin.Key freeKey = admin.createKey(a1, free, "free");
    ReceivedAnswer sample = Awaitility.await("a first answer").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500)).until(() -> client.call(0, a1, freeKey.secret(), PROMPT, MAX_TOKENS),
            ReceivedAnswer::ok);
    callMicros = sample.costMicros(MODEL);
    assertThat(callMicros).as("cost of one call").isPositive();
  }

  @AfterAll
  static void stop() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      for (EmbeddedCassandra c : new EmbeddedCassandra[] {cassandraA, cassandraB}) {
        if (c != null) {
          c.stop();
        }
      }
      if (fake != null) {
        fake.stop();
      }
      if (networks != null) {
        networks.close();
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_partition_between_the_regions_bills_every_call_once_after_the_heal_and_never_passes_the_budget() {
    // Given a tenant homed in a, with a daily budget both regions serve from
    Tenant t = tenantWithBudget("dc-part", BUDGET_CALLS);

    // When both regions serve it, are cut apart for 20 s, and heal
    Instant from = Instant.now();
    List<ReceivedAnswer> all;
    Instant partitionedAt;
    Instant healedAt;
    try (Clients clients = Clients.start(t.secret)) {
      pauseFor(Duration.ofSeconds(4));
      networks.partition();
      partitionedAt = Instant.now();
      try {
        pauseFor(Duration.ofSeconds(20));
      } finally {
        networks.heal();
      }
      healedAt = Instant.now();
      pauseFor(Duration.ofSeconds(6));
      all = clients.stop();
    }
    System.out.println("TwoDataCentersTest partition " + partitionedAt + ".." + healedAt + ": " + summary(all));

    // Then each client got an answer or a refusal in OpenAI's error shape; b could not lease while cut off
    assertThat(all).allSatisfy(a -> assertThat(a.status() + " " + a.errorType())
        .isIn("200 null", "429 budget_exceeded", "503 budget_unavailable"));
    assertThat(all).as("b served from its lease, then refused, while cut off from the tenant's home")
        .anyMatch(a -> a.node() == 1 && a.status() == 503 && a.sentAt().isAfter(partitionedAt));
    assertThat(all).as("a's clients used up the budget").anyMatch(a -> "budget_exceeded".equals(a.errorType()));
    assertReceivedWithinBudget(all, t.budget);

    // and, once the heal let b's settlements and hints through, both data centers hold exactly one
    // audit record per answer, billed what its client received, and the ledger equals the audit
    awaitExact(t.id, from, all, List.of(a1, b1));
  }

  @Test
  @Order(2)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void a_home_moved_after_its_region_died_starts_from_what_had_replicated_within_the_stated_bound() {
    // Given a tenant homed in a, with a daily budget both regions serve from
    Tenant t = tenantWithBudget("dc-dead", DEAD_REGION_BUDGET_CALLS);

    // When region a dies (its node and its Cassandra, SIGKILL) while both regions serve
    Instant from = Instant.now();
    List<ReceivedAnswer> beforeMove;
    Instant killedAt;
    try (Clients clients = Clients.start(t.secret)) {
      pauseFor(Duration.ofSeconds(6));
      killedAt = Instant.now();
      cluster.node(0).kill();
      ProcessHandle.of(cassandraA.pid()).ifPresent(ProcessHandle::destroyForcibly);
      pauseFor(Duration.ofSeconds(4));
      beforeMove = clients.stop();
    }

    assertThat(beforeMove).as("a served its clients up to its death")
        .filteredOn(a -> a.node() == 0 && a.ok()).hasSizeGreaterThanOrEqualTo(3);

    // and the tenant's home moves to b
    JsonNode moved = admin.moveHome(b1, t.id, "b");
    assertThat(moved.get("moved").asBoolean()).as("move: %s", moved).isTrue();
    assertThat(moved.get("fenced").asBoolean()).as("dead region a could not confirm the fence").isFalse();
    Awaitility.await("b serves the tenant's budget").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(admin.home(b1, t.id).get("served_from").asText()).isEqualTo("b"));

    // Then b's clients spend on until the budget recovered in b is used up
    List<ReceivedAnswer> afterMove = new ArrayList<>();
    while (afterMove.size() < 4 * DEAD_REGION_BUDGET_CALLS) {
      ReceivedAnswer a = client.call(1, b1, t.secret, PROMPT, MAX_TOKENS);
      afterMove.add(a);
      if ("budget_exceeded".equals(a.errorType())) {
        break;
      }
    }
    List<ReceivedAnswer> all = new ArrayList<>(beforeMove);
    all.addAll(afterMove);
    System.out.println("TwoDataCentersTest dead region, killed at " + killedAt + ": " + summary(all));
    assertThat(afterMove.get(afterMove.size() - 1).errorType()).as("the budget ran out in b").isEqualTo("budget_exceeded");
    assertThat(afterMove.subList(0, afterMove.size() - 1)).as("b's answers after the move")
        .isNotEmpty().allSatisfy(a -> assertThat(a.status()).isEqualTo(200));

    // and, once a's lease was closed from what b's data center shows of it, b's ledger equals b's
    // audit, which holds every answer except, at most, those a gave in its last moments
    List<ReceivedAnswer> lastMoments = beforeMove.stream()
        .filter(a -> a.node() == 0 && a.ok() && a.doneAt().isAfter(killedAt.minus(REPLICATION_BOUND))).toList();
    List<ReceivedAnswer> mustBeAudited = all.stream()
        .filter(a -> a.status() != 0 && !lastMoments.contains(a)).toList();
    List<JsonNode> audit = awaitExact(t.id, from, mustBeAudited, List.of(b1));
    Set<String> audited = audit.stream().map(r -> r.get("request_id").asText()).collect(Collectors.toSet());
    long unseen = lastMoments.stream().filter(a -> !audited.contains(a.requestId()))
        .mapToLong(a -> a.costMicros(MODEL)).sum();
    System.out.println("TwoDataCentersTest dead region: " + lastMoments.size() + " answers in a's last "
        + REPLICATION_BOUND + ", unseen in b: " + unseen + " µ$");
    assertReceivedWithinBudget(all.stream().filter(a -> audited.contains(a.requestId())).toList(), t.budget);
    assertThat(all.stream().filter(ReceivedAnswer::ok).mapToLong(a -> a.costMicros(MODEL)).sum())
        .as("what clients received: the budget plus, at most, a's unreplicated last moments")
        .isLessThanOrEqualTo(t.budget + unseen);
  }

  /** A tenant (homed in a, the default) with a daily USD budget of {@code calls} calls, served by both. */
  private static Tenant tenantWithBudget(String prefix, int calls) {
    String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    createTenant(id);
    RegionAdmin.Key key = admin.createKey(a1, id, "spender");
    long budget = calls * callMicros;
    admin.setLimits(a1, id, "{\"time_zone\":\"" + zoneAtNoon() + "\",\"limits\":[{\"scope\":\"tenant\","
        + "\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"" + BigDecimal.valueOf(budget, 6).toPlainString()
        + "\"}]}");
    Awaitility.await("both regions serve " + id).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          for (String url : List.of(a1, b1)) {
            assertThat(admin.raw(url, "GET", "/admin/tenants/" + id + "/limits", null).statusCode()).isEqualTo(200);
            assertThat(admin.models(url, key.secret())).isEqualTo(200);
          }
        });
    assertThat(admin.home(b1, id).get("region").asText()).as("default home").isEqualTo("a");
    return new Tenant(id, key.secret(), budget);
  }

  /**
   * Creates a tenant, retrying while the registry answers 503 (its first start on a fresh
   * two-data-center Cassandra can take longer than one ask); a 409 after a retry means it landed.
   */
  private static void createTenant(String id) {
    boolean[] retried = {false};
    Awaitility.await("tenant " + id + " created").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          int status = admin.raw(a1, "POST", "/admin/tenants",
              "{\"tenant_id\":\"" + id + "\",\"name\":\"" + id + "\"}").statusCode();
          assertThat(status).as("creating tenant %s", id).isIn(retried[0] ? List.of(201, 409, 503) : List.of(201, 503));
          retried[0] = true;
          return status != 503;
        });
  }

  /**
   * Waits until every node's data center holds exactly one audit record per answer in
   * {@code answered} (status and cost as received) and the ledger equals the audit on the entity's
   * side; returns the audit as the last node read it.
   */
  private static List<JsonNode> awaitExact(String tenant, Instant from, List<ReceivedAnswer> answered,
      List<String> nodes) {
    List<List<JsonNode>> last = new ArrayList<>(List.of(List.of()));
    Awaitility.await("ledger == Σ audit in every data center").atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(() -> {
          for (String node : nodes) {
            List<JsonNode> audit = admin.audit(node, tenant, from.minusSeconds(60), Instant.now().plusSeconds(60));
            Map<String, List<JsonNode>> byRequest = audit.stream()
                .collect(Collectors.groupingBy(r -> r.get("request_id").asText()));
            for (ReceivedAnswer a : answered.stream().filter(a -> a.status() != 0).toList()) {
              assertThat(byRequest.get(a.requestId())).as("audit records of %s in %s", a.requestId(), node).hasSize(1);
              JsonNode r = byRequest.get(a.requestId()).get(0);
              assertThat(r.get("status").asInt()).isEqualTo(a.status());
              if (a.ok()) {
                assertThat(r.get("cost_micros").asLong()).as("cost of %s", a.requestId()).isEqualTo(a.costMicros(MODEL));
              }
            }
            assertThat(byRequest.values()).as("one record per request in %s", node).allMatch(rs -> rs.size() == 1);
            assertThat(admin.spendLine(node, tenant, "tenant", "usd").get("held").asLong()).as("held").isZero();
            LedgerCheck.assertExact(admin.reconcile(node, tenant), audit);
            last.set(0, audit);
          }
        });
    return last.get(0);
  }

  private static void assertReceivedWithinBudget(List<ReceivedAnswer> answers, long budget) {
    assertThat(answers.stream().filter(ReceivedAnswer::ok).mapToLong(a -> a.costMicros(MODEL)).sum())
        .as("Σ cost of the answers clients received, budget %d µ$", budget).isLessThanOrEqualTo(budget);
  }

  private static EmbeddedCassandra cassandra(Path dir, String region, List<String> seeds, int nativePort,
      int storagePort) {
    return CassandraLauncher.start(CassandraLauncher.Options.of(dir.resolve("cassandra-" + region))
        .withNativePort(nativePort).withStoragePort(storagePort)
        .withPlacement(new Placement(networks.host(region), region, seeds, networks.launchPrefix(region))));
  }

  private static NodeSpec node(String region, EmbeddedCassandra cassandra) {
    return new NodeSpec(region, Map.of(),
        Map.of("TOLLGATE_CASSANDRA", cassandra.contactPoint(), "TOLLGATE_CASSANDRA_DC", region),
        networks.host(region), networks.launchPrefix(region));
  }

  private static String summary(List<ReceivedAnswer> all) {
    return all.stream().collect(Collectors.groupingBy(a -> "node " + a.node() + " " + a.status() + " " + a.errorType(),
        Collectors.counting())).toString();
  }

  private static String zoneAtNoon() {
    int offset = 12 - Instant.now().atZone(ZoneOffset.UTC).getHour();
    return offset == 0 ? "UTC" : ZoneOffset.ofHours(offset).getId();
  }

  private static void pauseFor(Duration d) {
    Awaitility.await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Tenant(String id, String secret, long budget) {}

  /** One client per region calling every {@link #CALL_EVERY_MS} ms; node 0 is a1, node 1 is b1. */
  private static final class Clients implements AutoCloseable {
    private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);
    private final ConcurrentLinkedQueue<ReceivedAnswer> received = new ConcurrentLinkedQueue<>();

    static Clients start(String secret) {
      Clients c = new Clients();
      List<String> urls = List.of(a1, b1);
      for (int n = 0; n < urls.size(); n++) {
        int node = n;
        c.pool.scheduleWithFixedDelay(() -> c.received.add(client.call(node, urls.get(node), secret, PROMPT,
            MAX_TOKENS)), 0, CALL_EVERY_MS, TimeUnit.MILLISECONDS);
      }
      return c;
    }

    List<ReceivedAnswer> stop() {
      pool.shutdown();
      Awaitility.await("calls finished").atMost(Duration.ofSeconds(30)).until(pool::isTerminated);
      return List.copyOf(received);
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }
}
