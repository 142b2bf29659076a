package io.tollgate.node.accounting;

import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.ClusterOfProcesses.NodeSpec;
import io.tollgate.persistence.testing.TestCassandra;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What an accounting black-box test runs against: node JVMs on the test Cassandra, the fake provider
 * in this JVM, an HTTP client with the admin calls, and a pool of client threads (the test's own).
 *
 * <p>{@link #shared} is the plain three-node cluster of {@link SharedAccountingCluster}, which the
 * test classes that need nothing else take in turn; {@link #start} starts nodes of the test's own
 * shape. Either way {@link #close} in the test's {@code @AfterAll}.
 */
final class AccountingCluster implements AutoCloseable {
  private final FakeProvider fake;
  private final ClusterOfProcesses cluster;
  private final HttpClient http;
  private final AccountingAdmin admin;
  private final ScheduledExecutorService clients;
  private final Runnable release;

  private AccountingCluster(FakeProvider fake, ClusterOfProcesses cluster, ScheduledExecutorService clients,
      Runnable release) {
    this.fake = fake;
    this.cluster = cluster;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    this.admin = new AccountingAdmin(http);
    this.clients = clients;
    this.release = release;
  }

  /**
   * The shared cluster: {@value SharedAccountingCluster#NODES} nodes with
   * {@link SharedAccountingCluster#SETTINGS} only. Its nodes must be left running (a paused one is
   * resumed on {@link #close}).
   */
  static AccountingCluster shared(String name, int clientThreads) {
    SharedAccountingCluster shared = SharedAccountingCluster.acquire();
    return new AccountingCluster(shared.fake, shared.cluster, clientPool(name, clientThreads),
        () -> SharedAccountingCluster.release(shared));
  }

  /** One node per spec, every one with {@code settings}; logs under {@code target/<name>-<pid>}. */
  static AccountingCluster start(List<NodeSpec> nodes, Map<String, String> settings, String name, int clientThreads) {
    // Idle shared nodes would take CPU from this test's own.
    SharedAccountingCluster.stopIfIdle();
    FakeProvider fake = FakeProvider.start(FakeProviderSettings.defaults());
    ScheduledExecutorService clients = clientPool(name, clientThreads);
    try {
      ClusterOfProcesses cluster = ClusterOfProcesses.start(nodes, TestCassandra.contactPoint(), fake.url(), settings,
          Path.of("target", name + "-" + ProcessHandle.current().pid()));
      return new AccountingCluster(fake, cluster, clients, () -> {
        try {
          cluster.nodes().forEach(n -> {
            if (n.isAlive()) {
              n.resume();
            }
          });
          cluster.close();
        } finally {
          fake.stop();
        }
      });
    } catch (RuntimeException | Error e) {
      clients.shutdownNow();
      fake.stop();
      throw e;
    }
  }

  FakeProvider fake() {
    return fake;
  }

  ClusterOfProcesses cluster() {
    return cluster;
  }

  HttpClient http() {
    return http;
  }

  AccountingAdmin admin() {
    return admin;
  }

  /** The test's client threads ({@code <name>-client}), ended on {@link #close}. */
  ScheduledExecutorService clients() {
    return clients;
  }

  @Override
  public void close() {
    try {
      release.run();
    } finally {
      clients.shutdownNow();
    }
  }

  private static ScheduledExecutorService clientPool(String name, int threads) {
    return Executors.newScheduledThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-client");
      t.setDaemon(true);
      return t;
    });
  }
}
