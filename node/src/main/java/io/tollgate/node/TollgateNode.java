package io.tollgate.node;

import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.auth.Authenticator;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.catalog.ModelCatalog;
import io.tollgate.node.http.AdminRoutes;
import io.tollgate.node.http.ApiRoutes;
import io.tollgate.node.http.AuditRoutes;
import io.tollgate.node.http.BodyReader;
import io.tollgate.node.http.BudgetRoutes;
import io.tollgate.node.http.ClusterRoutes;
import io.tollgate.node.http.HealthRoutes;
import io.tollgate.node.http.TollgateRoutes;
import io.tollgate.node.limits.Limits;
import io.tollgate.node.http.server.RequestStartTimeout;
import io.tollgate.node.logging.SecretMask;
import io.tollgate.node.security.AdminTokenStrength;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.circuit.CircuitBook;
import io.tollgate.node.http.RegionRoutes;
import io.tollgate.node.http.RoutingPolicyRoutes;
import io.tollgate.node.http.CachePolicyRoutes;
import io.tollgate.node.cache.PartitionClient;
import io.tollgate.persistence.cache.CachePartition;
import io.tollgate.persistence.cache.CacheSettings;
import io.tollgate.persistence.cache.CacheStore;
import io.tollgate.persistence.tenantadmin.TenantCachePolicyStore;
import io.tollgate.node.http.RoutingRoutes;
import io.tollgate.node.proxy.Proxies;
import io.tollgate.node.proxy.RoutingSettings;
import io.tollgate.node.routing.CircuitPhases;
import io.tollgate.node.routing.LatencyBook;
import io.tollgate.node.routing.ProviderQuotas;
import io.tollgate.node.routing.Router;
import io.tollgate.persistence.tenantadmin.TenantRoutingStore;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import io.tollgate.persistence.audit.AuditBodies;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.audit.OverdraftBatchTable;
import io.tollgate.persistence.audit.StoredLeaseAudit;
import io.tollgate.persistence.budget.LeaseOwners;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.registry.KeyAdmin;
import io.tollgate.persistence.registry.KeyDirectory;
import io.tollgate.persistence.registry.KeyStore;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.TenantSettingsStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.Done;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.stream.Materializer;

/**
 * Wires one node onto an actor system: cluster membership, the key registry and its node-local
 * directory, the audit store, the model catalogue, the proxies and the HTTP binding. Tests boot
 * several nodes in one JVM through {@link #start}.
 */
public final class TollgateNode {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LEASE_METRICS_EVERY = Duration.ofSeconds(5);
  private final ActorSystem<?> system;
  private final ServerBinding binding;
  private final ModelCatalog catalog;
  private final KeyAdmin keys;
  private final KeyDirectory keyDirectory;
  private final TenantCachePolicyStore cachePolicies;

  private TollgateNode(ActorSystem<?> system, ServerBinding binding, ModelCatalog catalog, KeyAdmin keys,
      KeyDirectory keyDirectory, TenantCachePolicyStore cachePolicies) {
    this.cachePolicies = cachePolicies;
    this.system = system;
    this.binding = binding;
    this.catalog = catalog;
    this.keys = keys;
    this.keyDirectory = keyDirectory;
  }

  /** Creates the persistence schema (where configured), then boots the node. */
  public static CompletionStage<TollgateNode> start(ActorSystem<?> system) {
    SecretMask.registerConfigured(system.settings().config());
    Optional<String> weakToken = AdminTokenStrength.problem(system.settings().config());
    if (weakToken.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(weakToken.get()));
    }
    return PersistenceSchema.ensure(system).thenCompose(done -> boot(system));
  }

  private static CompletionStage<TollgateNode> boot(ActorSystem<?> system) {
    NodeSettings settings = NodeSettings.from(system.settings().config());
    Cluster cluster = Cluster.get(system);
    if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    KeyRegistry.init(system);
    KeyStore keyStore = KeyStore.create(system);
    KeyDirectory directory = KeyDirectory.start(system, keyStore);
    KeyAdmin keys = new KeyAdmin(system, keyStore, directory, ASK_TIMEOUT);
    AuditStore audit = AuditStore.create(system);
    OverdraftBatchTable overdrafts = OverdraftBatchTable.create(system);
    // Calls from a lease need their admission row written before they answer: not ready before that works.
    CompletionStage<Done> auditReady =
        ready(() -> audit.ready().thenCompose(d -> overdrafts.ready()).thenApply(v -> Done.getInstance()), system);
    ModelCatalog catalog = ModelCatalog.from(system.settings().config());
    GatewayMetrics metrics = GatewayMetrics.create(system.settings().config(), settings.region());
    TenantBudget.init(system, new StoredLeaseAudit(audit, overdrafts));
    LeaseBook leases = LeaseBook.create(system);
    system.scheduler().scheduleWithFixedDelay(LEASE_METRICS_EVERY, LEASE_METRICS_EVERY, () -> {
      metrics.recordLeaseCount(leases.leaseCount());
      metrics.recordLateSettlements(leases.takeLateSettlements());
    }, system.executionContext());
    TenantSettingsStore tenantSettings = TenantSettingsStore.create(system);
    TenantRoutingStore routingPolicies = TenantRoutingStore.create(system);
    Proxies.Routing routing = routing(system, settings.region(), metrics);
    Proxies.Cache cache = cache(system);
    CallRecorder recorder = new CallRecorder(audit, metrics, leases, new AuditBodies(audit, tenantSettings::storesBodies),
        overdrafts, LeaseOwners.idOf(cluster.selfMember().uniqueAddress()));
    Materializer materializer = Materializer.matFromSystem(system);
    Limits limits = Limits.get(system);
    BodyReader adminBodies = new BodyReader(limits.settings().adminMaxBodyBytes(), materializer);
    AdminTokenStore adminTokens = AdminTokenStore.create(system);
    AuditRoutes auditRoutes = new AuditRoutes(system, audit, settings.adminToken(), adminTokens, tenantSettings);
    ApiRoutes api = new ApiRoutes(
        new Authenticator(directory, system.settings().config().getInt("tollgate.auth.presented-key-hashes")), catalog,
        Proxies.create(system, settings, recorder, metrics, leases, routing, cache), leases, tenantSettings,
        routingPolicies, RoutingSettings.from(system.settings().config()).strategyHeader(), recorder,
        settings.maxBodyBytes(), materializer, limits, metrics);
    TollgateRoutes routes = new TollgateRoutes(api,
        new HealthRoutes(() -> directory.ready().toCompletableFuture().isDone()
            && auditReady.toCompletableFuture().isDone()),
        List.of(
            auditRoutes.routes(),
            new BudgetRoutes(system, audit, settings.adminToken(), ASK_TIMEOUT).routes(),
            new ClusterRoutes(system, settings.adminToken(), ASK_TIMEOUT).routes(),
            new AdminRoutes(system, settings.adminToken(), ASK_TIMEOUT, adminBodies, keys).routes(),
            new RegionRoutes(system, settings.adminToken(), adminBodies).routes(),
            new RoutingRoutes(system, settings.adminToken(), catalog, routing.router(), routing.circuits(),
                routingPolicies, adminBodies).routes(),
            new CachePolicyRoutes(system, settings.adminToken(), adminTokens, cache.policies(), adminBodies).routes(),
            new RoutingPolicyRoutes(system, settings.adminToken(), adminTokens, routingPolicies,
                (model, deployment) -> catalog.group(model)
                    .map(g -> g.deployments().stream().anyMatch(d -> d.deploymentId().equals(deployment)))
                    .orElse(false)).routes()));
    return Http.get(system)
        .newServerAt(settings.httpHost(), settings.httpPort())
        .bindFlow(RequestStartTimeout.around(routes.routes().flow(system),
            system.settings().config().getDuration("tollgate.http.header-timeout"),
            system.settings().config().getDuration("tollgate.http.keep-alive-timeout")))
        .thenCombine(directory.ready().thenCombine(auditReady, (keyTables, records) -> records), (binding, ready) -> {
          binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
          return new TollgateNode(system, binding, catalog, keys, directory, cache.policies());
        });
  }

  /** Completes once the audit store is ready, trying again every second until it is. */
  private static CompletionStage<Done> ready(Supplier<CompletionStage<Done>> tables, ActorSystem<?> system) {
    return tables.get().exceptionallyCompose(notYet -> Patterns.after(Duration.ofSeconds(1),
        system.classicSystem().scheduler(), system.executionContext(), () -> ready(tables, system)));
  }

  /** The response cache: tenant policies and the cluster-sharded partitions fronting table cache_entries. */
  private static Proxies.Cache cache(ActorSystem<?> system) {
    CacheSettings settings = CacheSettings.from(system.settings().config());
    CachePartition.init(system, CacheStore.create(system), settings);
    return new Proxies.Cache(TenantCachePolicyStore.create(system), new PartitionClient(system, settings));
  }

  /** The router and what it reads: the region's circuits, this node's latency averages and provider-TPM use. */
  private static Proxies.Routing routing(ActorSystem<?> system, String region, GatewayMetrics metrics) {
    CircuitBook circuits = CircuitBook.start(system, region, metrics);
    LatencyBook latency = new LatencyBook();
    Cluster cluster = Cluster.get(system);
    ProviderQuotas quotas = new ProviderQuotas(() -> nodesIn(cluster, region));
    Router router = new Router(region, CircuitPhases.of(circuits::phase, circuits::openUntil), latency, quotas);
    return new Proxies.Routing(router, circuits, latency, quotas);
  }

  private static int nodesIn(Cluster cluster, String region) {
    int up = 0;
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && region.equals(m.dataCenter())) {
        up++;
      }
    }
    return Math.max(1, up);
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String url() {
    return "http://" + binding.localAddress().getHostString() + ":" + port();
  }

  public ModelCatalog catalog() {
    return catalog;
  }

  /** Creating, revoking and listing API keys, as the admin API does. */
  public KeyAdmin keys() {
    return keys;
  }

  /** This node's key directory (what authentication reads). */
  public KeyDirectory keyDirectory() {
    return keyDirectory;
  }

  /** Per-tenant response cache policies, as the admin API reads and writes them. */
  public TenantCachePolicyStore cachePolicies() {
    return cachePolicies;
  }

  public ActorSystem<?> system() {
    return system;
  }
}
