package io.tollgate.node;

import io.tollgate.node.audit.CallRecorder;
import io.tollgate.node.auth.Authenticator;
import io.tollgate.node.budget.AuditedSpend;
import io.tollgate.node.budget.LeaseBook;
import io.tollgate.node.budget.LeaseReconciler;
import io.tollgate.node.catalog.ModelCatalog;
import io.tollgate.node.http.AdminRoutes;
import io.tollgate.node.http.ApiRoutes;
import io.tollgate.node.http.AuditRoutes;
import io.tollgate.node.http.BodyReader;
import io.tollgate.node.http.BudgetRoutes;
import io.tollgate.node.http.ClusterRoutes;
import io.tollgate.node.http.HealthRoutes;
import io.tollgate.node.http.TollgateRoutes;
import io.tollgate.node.metrics.GatewayMetrics;
import io.tollgate.node.proxy.Proxies;
import io.tollgate.persistence.audit.AuditBodies;
import io.tollgate.persistence.audit.AuditStore;
import io.tollgate.persistence.budget.Demand;
import io.tollgate.persistence.budget.TenantBudget;
import io.tollgate.persistence.registry.KeyDirectory;
import io.tollgate.persistence.registry.KeyRegistry;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.tenantadmin.AdminTokenStore;
import io.tollgate.persistence.tenantadmin.TenantSettingsStore;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
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
  /** How long a lease must have been expired before its spend is read from the audit records. */
  private static final Duration RECONCILE_GRACE = Duration.ofSeconds(10);
  private static final Duration RECONCILE_EVERY = Duration.ofSeconds(5);
  private final ActorSystem<?> system;
  private final ServerBinding binding;
  private final ModelCatalog catalog;

  private TollgateNode(ActorSystem<?> system, ServerBinding binding, ModelCatalog catalog) {
    this.system = system;
    this.binding = binding;
    this.catalog = catalog;
  }

  /** Creates the persistence schema (where configured), then boots the node. */
  public static CompletionStage<TollgateNode> start(ActorSystem<?> system) {
    return PersistenceSchema.ensure(system).thenCompose(done -> boot(system));
  }

  private static CompletionStage<TollgateNode> boot(ActorSystem<?> system) {
    NodeSettings settings = NodeSettings.from(system.settings().config());
    Cluster cluster = Cluster.get(system);
    if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    KeyRegistry.init(system);
    KeyDirectory directory = KeyDirectory.start(system, ASK_TIMEOUT);
    AuditStore audit = AuditStore.create(system);
    ModelCatalog catalog = ModelCatalog.from(system.settings().config());
    GatewayMetrics metrics = GatewayMetrics.create(system.settings().config(), settings.region());
    TenantBudget.init(system);
    LeaseBook leases = LeaseBook.create(system);
    new LeaseReconciler(system, auditedSpend(audit), leases, RECONCILE_GRACE)
        .schedule(system, RECONCILE_EVERY, leases::tenants);
    system.scheduler().scheduleWithFixedDelay(RECONCILE_EVERY, RECONCILE_EVERY,
        () -> metrics.recordLeaseCount(leases.leaseCount()), system.executionContext());
    TenantSettingsStore tenantSettings = TenantSettingsStore.create(system);
    CallRecorder recorder = new CallRecorder(audit, metrics, leases, new AuditBodies(audit, tenantSettings::storesBodies));
    Materializer materializer = Materializer.matFromSystem(system);
    BodyReader bodies = new BodyReader(settings.maxBodyBytes(), materializer);
    AuditRoutes auditRoutes = new AuditRoutes(system, audit, settings.adminToken(),
        AdminTokenStore.create(system), tenantSettings);
    TollgateRoutes routes = new TollgateRoutes(
        new ApiRoutes(new Authenticator(directory), catalog, Proxies.create(system, settings, recorder, metrics, leases),
            leases, tenantSettings, recorder, settings.maxBodyBytes(), materializer),
        auditRoutes,
        new BudgetRoutes(system, audit, settings.adminToken(), ASK_TIMEOUT),
        new ClusterRoutes(system, settings.adminToken(), ASK_TIMEOUT),
        new AdminRoutes(system, settings.adminToken(), ASK_TIMEOUT, bodies),
        new HealthRoutes(() -> directory.ready().toCompletableFuture().isDone()));
    return Http.get(system)
        .newServerAt(settings.httpHost(), settings.httpPort())
        .bind(routes.routes())
        .thenCombine(directory.ready(), (binding, ready) -> {
          binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
          return new TollgateNode(system, binding, catalog);
        });
  }

  /** Spend of a lease as its audit records tell it (leases live minutes: today and yesterday, UTC, suffice). */
  private static AuditedSpend auditedSpend(AuditStore audit) {
    return (tenantId, leaseId) -> {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      return audit.totalsForLease(tenantId, today.minusDays(1), today, leaseId)
          .thenApply(t -> new Demand(t.costMicros(), t.tokens(), t.calls()));
    };
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

  public ActorSystem<?> system() {
    return system;
  }
}
