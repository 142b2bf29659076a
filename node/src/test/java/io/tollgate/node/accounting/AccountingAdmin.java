package io.tollgate.node.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.node.testing.ClusterAdminHttp;
import io.tollgate.node.testing.NodeProcess;
import io.tollgate.node.testing.ReceivedAnswer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/** The admin calls the accounting tests make, against whichever node they name. */
final class AccountingAdmin extends ClusterAdminHttp {

  AccountingAdmin(HttpClient http) {
    super(http);
  }

  record Key(String keyId, String secret) {}

  String createTenant(String node, String tenantId) {
    call(node, "POST", "/admin/tenants", "{\"tenant_id\":\"" + tenantId + "\",\"name\":\"Acct " + tenantId + "\"}", 201);
    return tenantId;
  }

  /** A key of {@code team} (null: none). */
  Key createKey(String node, String tenantId, String name, String team) {
    String teamField = team == null ? "" : ",\"team\":\"" + team + "\"";
    JsonNode created = call(node, "POST", "/admin/tenants/" + tenantId + "/keys",
        "{\"name\":\"" + name + "\"" + teamField + "}", 201);
    return new Key(created.get("key_id").asText(), created.get("key").asText());
  }

  /**
   * A new tenant (id {@code prefix-...}) with a limit, whose budget entity runs on {@code host}: new
   * tenants until one lands there.
   */
  String tenantHostedOn(NodeProcess host, String prefix) {
    for (int i = 0; i < 30; i++) {
      String tenant = createTenant(host.url(), prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
      setLimits(host.url(), tenant, "{\"limits\":[{\"scope\":\"tenant\",\"kind\":\"usd\",\"period\":\"daily\","
          + "\"amount\":\"1\"}]}");
      if (budgetEntity(host.url(), tenant).get("hosted_here").asBoolean()) {
        return tenant;
      }
    }
    throw new IllegalStateException("no tenant's budget entity landed on " + host.name() + " in 30 tries");
  }

  JsonNode setLimits(String node, String tenantId, String body) {
    return call(node, "PUT", "/admin/tenants/" + tenantId + "/limits", body, 200);
  }

  /** {@code GET reconcile} for every period, windows containing {@code at}. */
  JsonNode reconcile(String node, String tenantId, Instant at) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/reconcile?at=" + at, null, 200);
  }

  /** {@code GET reconcile?period=minute} for the minute containing {@code at}. */
  JsonNode reconcileMinute(String node, String tenantId, Instant at) {
    return call(node, "GET", "/admin/tenants/" + tenantId + "/reconcile?period=minute&at=" + at, null, 200);
  }

  /** Waits until every answer's audit record is written; every record of the tenant around the run. */
  List<JsonNode> awaitAudit(String node, String tenant, Instant from, List<ReceivedAnswer> all) {
    List<List<JsonNode>> out = new ArrayList<>(1);
    Awaitility.await("every answer audited").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> {
          // A call refused on a node whose clock is ahead is recorded at that node's time.
          List<JsonNode> audit = audit(node, tenant, from, Instant.now().plusSeconds(600));
          assertThat(audit.stream().map(r -> r.get("request_id").asText()).collect(Collectors.toSet()))
              .containsAll(all.stream().map(ReceivedAnswer::requestId).toList());
          out.clear();
          out.add(audit);
        });
    return out.get(0);
  }

  void awaitEveryNodeServes(List<String> urls, String tenant, Key... keys) {
    Awaitility.await("every node serves the tenant").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .untilAsserted(() -> {
          for (String url : urls) {
            assertThat(raw(url, "GET", "/admin/tenants/" + tenant + "/limits", null).statusCode()).isEqualTo(200);
            for (Key key : keys) {
              assertThat(models(url, key.secret())).as("key %s on %s", key.keyId(), url).isEqualTo(200);
            }
          }
        });
  }

  /** A fixed offset at which it is around noon now, so a daily window cannot end during a test. */
  static String zoneAtNoon() {
    int offset = 12 - Instant.now().atZone(ZoneOffset.UTC).getHour();
    return offset == 0 ? "UTC" : ZoneOffset.ofHours(offset).getId();
  }
}
