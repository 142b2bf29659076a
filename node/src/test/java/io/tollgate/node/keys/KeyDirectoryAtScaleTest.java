package io.tollgate.node.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tollgate.persistence.registry.CreatedKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three nodes with 2,000 keys in one tenant (created through the admin API, spread over the nodes)
 * and 50,000 keys over 1,000 other tenants (written through the bulk path): keys created or revoked
 * through one node's admin API reach every node within a second, and every node lists every page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyDirectoryAtScaleTest {
  private static final int NODES = 3;
  private static final int KEYS_IN_BIG_TENANT = 2_000;
  private static final int OTHER_TENANTS = 1_000;
  private static final int KEYS_PER_OTHER_TENANT = 50;
  private static final Duration REACH = Duration.ofSeconds(1);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String bigTenant = "big-" + run;
  private KeyCluster cluster;
  private ExecutorService pool;
  private final List<CreatedKey> bulkKeys = new ArrayList<>();

  @BeforeAll
  void startClusterWithManyKeys() throws Exception {
    cluster = KeyCluster.start(NODES);
    pool = Executors.newFixedThreadPool(8);
    cluster.createTenant(0, bigTenant);
    inParallel(KEYS_IN_BIG_TENANT, i -> () -> cluster.createKey(i % NODES, bigTenant, "k" + i));
    inParallel(OTHER_TENANTS, i -> () -> cluster.createTenant(i % NODES, otherTenant(i)));
    List<CompletableFuture<List<CreatedKey>>> imports = new ArrayList<>();
    for (int i = 0; i < OTHER_TENANTS; i++) {
      imports.add(cluster.node(0).keys().importNew(otherTenant(i), "bulk-", KEYS_PER_OTHER_TENANT).toCompletableFuture());
      if (imports.size() % 16 == 0) {
        CompletableFuture.allOf(imports.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      }
    }
    for (CompletableFuture<List<CreatedKey>> done : imports) {
      bulkKeys.addAll(done.get(120, TimeUnit.SECONDS));
    }
  }

  @AfterAll
  void stopCluster() {
    if (pool != null) {
      pool.shutdownNow();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private String otherTenant(int i) {
    return "t" + i + "-" + run;
  }

  @Test
  void a_key_created_through_one_node_is_accepted_by_every_node_within_a_second() {
    for (int creator = 0; creator < NODES; creator++) {
      KeyCluster.Key key = cluster.createKey(creator, bigTenant, "fresh-" + creator);

      awaitStatusEverywhere(key.secret(), 200);
    }
  }

  @Test
  void a_revoked_key_is_refused_by_every_node_within_a_second() {
    KeyCluster.Key inBigTenant = cluster.createKey(1, bigTenant, "to-revoke");
    CreatedKey bulk = bulkKeys.get(bulkKeys.size() / 2);
    KeyCluster.Key inOtherTenant = new KeyCluster.Key(bulk.info().tenantId(), bulk.info().keyId(), bulk.secret());
    for (KeyCluster.Key key : List.of(inBigTenant, inOtherTenant)) {
      // Every node has the key in memory as active before the revocation.
      awaitStatusEverywhere(key.secret(), 200);

      cluster.revoke(2, key);

      awaitStatusEverywhere(key.secret(), 401);
    }
  }

  @Test
  void bulk_keys_of_many_tenants_are_accepted_on_every_node_without_loading_the_directory() {
    for (int i = 0; i < 20; i++) {
      CreatedKey key = bulkKeys.get(i * (bulkKeys.size() / 20));
      for (int node = 0; node < NODES; node++) {
        assertThat(cluster.status(node, key.secret())).as("node %d", node).isEqualTo(200);
      }
    }
    int total = KEYS_IN_BIG_TENANT + OTHER_TENANTS * KEYS_PER_OTHER_TENANT;
    for (int node = 0; node < NODES; node++) {
      assertThat(cluster.node(node).keyDirectory().activeKeysInMemory()).as("keys in memory on node %d", node)
          .isLessThan(total / 10);
    }
  }

  @Test
  void every_node_lists_every_page_of_the_big_tenant() {
    List<List<String>> listings = new ArrayList<>();
    for (int node = 0; node < NODES; node++) {
      List<String> ids = new ArrayList<>();
      String token = null;
      int pages = 0;
      do {
        JsonNode page = cluster.listKeys(node, bigTenant, "?limit=500" + (token == null ? "" : "&page_token=" + token));
        page.get("data").forEach(k -> ids.add(k.get("key_id").asText()));
        assertThat(page.get("data").size()).isLessThanOrEqualTo(500);
        token = page.get("has_more").asBoolean() ? page.get("next_page_token").asText() : null;
        pages++;
      } while (token != null);
      assertThat(pages).as("pages on node %d", node).isGreaterThanOrEqualTo(KEYS_IN_BIG_TENANT / 500);
      assertThat(new HashSet<>(ids)).as("no key twice on node %d", node).hasSameSizeAs(ids);
      assertThat(ids.size()).isGreaterThanOrEqualTo(KEYS_IN_BIG_TENANT);
      listings.add(ids);
    }
    // Keys created meanwhile by other tests come last (oldest first), so the first 2,000 agree everywhere.
    for (List<String> ids : listings) {
      assertThat(ids.subList(0, KEYS_IN_BIG_TENANT)).isEqualTo(listings.get(0).subList(0, KEYS_IN_BIG_TENANT));
    }
  }

  @Test
  void a_bulk_tenant_lists_its_keys_in_one_default_page_on_every_node() {
    CreatedKey any = bulkKeys.get(0);
    Set<String> expected = new HashSet<>();
    bulkKeys.stream().filter(k -> k.info().tenantId().equals(any.info().tenantId()))
        .forEach(k -> expected.add(k.info().keyId()));
    for (int node = 0; node < NODES; node++) {
      JsonNode page = cluster.listKeys(node, any.info().tenantId(), "");
      Set<String> ids = new HashSet<>();
      page.get("data").forEach(k -> ids.add(k.get("key_id").asText()));

      assertThat(ids).isEqualTo(expected);
      assertThat(page.get("has_more").asBoolean()).isFalse();
      assertThat(page.toString()).doesNotContain(any.secret());
    }
  }

  @Test
  void listing_refuses_a_page_token_it_did_not_give_out_and_a_limit_out_of_range() {
    JsonNode badToken = cluster.admin(1, "GET", "/admin/tenants/" + bigTenant + "/keys?page_token=garbage", null, 400);
    JsonNode badLimit = cluster.admin(2, "GET", "/admin/tenants/" + bigTenant + "/keys?limit=1001", null, 400);

    assertThat(badToken.at("/error/param").asText()).isEqualTo("page_token");
    assertThat(badLimit.at("/error/param").asText()).isEqualTo("limit");
    cluster.admin(0, "GET", "/admin/tenants/nobody-" + run + "/keys", null, 404);
  }

  @Test
  void a_node_that_joins_later_is_ready_without_loading_the_keys_and_learns_new_changes() {
    int late = cluster.addNode();
    try {
      CreatedKey bulk = bulkKeys.get(7);
      assertThat(cluster.status(late, bulk.secret())).isEqualTo(200);
      assertThat(cluster.node(late).keyDirectory().activeKeysInMemory()).isLessThanOrEqualTo(5);

      KeyCluster.Key key = cluster.createKey(0, bigTenant, "for-the-late-node");
      awaitStatus(late, key.secret(), 200);
      cluster.revoke(0, key);
      awaitStatus(late, key.secret(), 401);
    } finally {
      cluster.stopLastNode();
    }
  }

  private void awaitStatusEverywhere(String secret, int status) {
    Awaitility.await().atMost(REACH).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
      for (int node = 0; node < cluster.size(); node++) {
        assertThat(cluster.status(node, secret)).as("node %d", node).isEqualTo(status);
      }
    });
  }

  private void awaitStatus(int node, String secret, int status) {
    Awaitility.await().atMost(REACH).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
        .untilAsserted(() -> assertThat(cluster.status(node, secret)).isEqualTo(status));
  }

  private void inParallel(int count, IntFunction<Runnable> task) throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(CompletableFuture.runAsync(task.apply(i), pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
  }
}
