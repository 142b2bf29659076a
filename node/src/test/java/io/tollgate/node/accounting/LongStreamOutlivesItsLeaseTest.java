package io.tollgate.node.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.AccountingClient;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.LedgerCheck;
import io.tollgate.node.testing.ReceivedAnswer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Served by one node only, a stream that outlives its lease long enough for the entity to close the
 * expired lease on its own is still billed in full (issue 9, case 1, one node).
 *
 * <p>Before issue 9 the entity closed an expired lease nobody reconciled after
 * {@code tollgate.budget.reconcile-after} (2 minutes; that setting is gone), dropping the settlement
 * of a call still running on it; only nodes that had served the tenant reconciled. The tenant here
 * has its budget entity on the first node of the shared accounting cluster (expiry check every
 * second), and only that node ever serves it, as on a one-node cluster. A
 * {@value #STREAM_SECONDS}-second stream that starts shortly before a minute ends (the tenant has a
 * per-minute limit, so its lease ends with the minute) outlives its lease's minute by more than
 * {@value #OUTLIVES_BY_SECONDS} s.
 */
class LongStreamOutlivesItsLeaseTest {
  private static final String MODEL = "demo-openai";
  private static final int STREAM_CHUNKS = 40;
  private static final int CHUNK_DELAY_MS = 500;
  private static final int STREAM_SECONDS = STREAM_CHUNKS * CHUNK_DELAY_MS / 1000;
  /** How long the stream runs past its lease's minute at least: the bound of the one-node cluster this test had. */
  private static final int OUTLIVES_BY_SECONDS = 8;

  static AccountingCluster env;
  static ClusterOfProcesses cluster;
  static HttpClient http;
  static AccountingAdmin admin;
  static ExecutorService clients;

  @BeforeAll
  static void start() {
    env = AccountingCluster.shared("outliving-stream", 2);
    cluster = env.cluster();
    http = env.http();
    admin = env.admin();
    clients = env.clients();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_stream_that_outlives_its_closed_lease_is_billed_in_full() {
    // Given a tenant with a daily budget and a per-minute request limit, served by the node hosting its entity only
    String url = cluster.node(0).url();
    String tenant = admin.tenantHostedOn(cluster.node(0), "outlive");
    AccountingAdmin.Key key = admin.createKey(url, tenant, "streams", null);
    admin.setLimits(url, tenant, "{\"time_zone\":\"" + AccountingAdmin.zoneAtNoon() + "\",\"limits\":["
        + "{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\",\"amount\":\"0.05\"},"
        + "{\"scope\":\"tenant\",\"kind\":\"requests_per_minute\",\"amount\":100}]}");
    admin.awaitEveryNodeServes(List.of(url), tenant, key);
    AccountingClient client = new AccountingClient(http, MODEL);

    // When a stream starts 4 to 8 s before a minute ends and runs on well past the lease's auto-close
    Instant boundary = MinuteBoundary.awaitBefore(Duration.ofSeconds(8), Duration.ofSeconds(4));
    CompletableFuture<ReceivedAnswer> stream = CompletableFuture.supplyAsync(() -> client.stream(0, url, key.secret(),
        "[[fake:chunks=" + STREAM_CHUNKS + ",delay=" + CHUNK_DELAY_MS + "]] a long story", 200), clients);
    ReceivedAnswer before = client.call(0, url, key.secret(), "[[fake:chunks=4]] a short one", 16);
    ReceivedAnswer answer = stream.orTimeout(STREAM_SECONDS + 60, TimeUnit.SECONDS).join();
    ReceivedAnswer after = client.call(0, url, key.secret(), "[[fake:chunks=4]] another short one", 16);
    System.out.println("LongStreamOutlivesItsLeaseTest: boundary=" + boundary + " stream " + answer);

    // Then the stream ran to its end long after the lease's minute and auto-close
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.cleanEnd()).isTrue();
    assertThat(answer.doneAt()).isAfter(boundary.plusSeconds(OUTLIVES_BY_SECONDS));
    assertThat(before.status()).isEqualTo(200);
    assertThat(after.status()).isEqualTo(200);

    // and it is billed what the client received, in the ledger as in the audit, after the settle interval
    List<ReceivedAnswer> all = List.of(answer, before, after);
    List<JsonNode> audit = admin.awaitAudit(url, tenant, boundary.minusSeconds(600), all);
    long received = all.stream().mapToLong(a -> a.costMicros(MODEL)).sum();
    assertThat(audit.stream().filter(LedgerCheck::leased).mapToLong(r -> r.get("cost_micros").asLong()).sum())
        .as("Σ audit cost == Σ cost received").isEqualTo(received);
    List<JsonNode> lines = new ArrayList<>();
    try {
      Awaitility.await("ledger == Σ audit").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> {
            lines.clear();
            lines.addAll(LedgerCheck.assertExact(admin.reconcile(url, tenant, Instant.now()), audit));
            LedgerCheck.assertExact(admin.reconcileMinute(url, tenant, boundary.minusSeconds(30)), audit);
          });
    } finally {
      System.out.println("LongStreamOutlivesItsLeaseTest: reconcile " + admin.reconcile(url, tenant, Instant.now())
          + " minute before the boundary " + admin.reconcileMinute(url, tenant, boundary.minusSeconds(30)));
    }
    assertThat(lines.get(0).get("ledger").asLong()).as("daily ledger == Σ cost received").isEqualTo(received);
  }
}
