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
 * in this JVM, an HTTP client with the admin calls, and a pool of client threads.
 */
record AccountingCluster(FakeProvider fake, ClusterOfProcesses cluster, HttpClient http, AccountingAdmin admin,
    ScheduledExecutorService clients) implements AutoCloseable {

  /** One node per spec, every one with {@code settings}; logs under {@code target/<name>-<pid>}. */
  static AccountingCluster start(List<NodeSpec> nodes, Map<String, String> settings, String name, int clientThreads) {
    FakeProvider fake = FakeProvider.start(FakeProviderSettings.defaults());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    ScheduledExecutorService clients = Executors.newScheduledThreadPool(clientThreads, r -> {
      Thread t = new Thread(r, name + "-client");
      t.setDaemon(true);
      return t;
    });
    try {
      ClusterOfProcesses cluster = ClusterOfProcesses.start(nodes, TestCassandra.contactPoint(), fake.url(), settings,
          Path.of("target", name + "-" + ProcessHandle.current().pid()));
      return new AccountingCluster(fake, cluster, http, new AccountingAdmin(http), clients);
    } catch (RuntimeException | Error e) {
      clients.shutdownNow();
      fake.stop();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      cluster.nodes().forEach(n -> {
        if (n.isAlive()) {
          n.resume();
        }
      });
      cluster.close();
    } finally {
      fake.stop();
      clients.shutdownNow();
    }
  }
}
