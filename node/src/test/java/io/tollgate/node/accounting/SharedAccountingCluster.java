package io.tollgate.node.accounting;

import io.tollgate.fake.Behaviour;
import io.tollgate.fake.FakeProvider;
import io.tollgate.fake.FakeProviderSettings;
import io.tollgate.node.testing.ClusterOfProcesses;
import io.tollgate.node.testing.ClusterOfProcesses.NodeSpec;
import io.tollgate.node.testing.NodeProcess;
import io.tollgate.persistence.testing.TestCassandra;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The plain cluster the accounting tests of one test JVM share: {@value #NODES} node JVMs with the
 * budget entity's expiry check every second and every other setting at its default, and the fake
 * provider they call. Starting three node JVMs takes 15-20 s on two cores; test classes that need
 * nothing else take this one in turn (each with its own tenants) instead of starting their own.
 *
 * <p>It starts on first use. When its last user lets go it stops {@value #IDLE_SECONDS} s later,
 * unless another test class takes it in between (the next class of the package starts within
 * milliseconds), or at once when a test starts a cluster of its own shape. A node that a test
 * killed or that was downed makes the next user get a new cluster; a paused node is resumed when
 * its user lets go. A JVM shutdown hook stops the nodes in any case.
 */
final class SharedAccountingCluster {
  static final int NODES = 3;
  static final Map<String, String> SETTINGS = Map.of(
      // The entity expires leases within a second of their end, so a stream outliving its lease
      // (and a lease the overdraft replaces) shows within the test.
      "tollgate.budget.expiry-check-interval", "1s");
  private static final int IDLE_SECONDS = 5;
  private static final ScheduledExecutorService CLOSER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "shared-accounting-cluster-closer");
    t.setDaemon(true);
    return t;
  });

  private static SharedAccountingCluster current;

  final FakeProvider fake;
  final ClusterOfProcesses cluster;
  private int users;
  private ScheduledFuture<?> idleClose;

  private SharedAccountingCluster(FakeProvider fake, ClusterOfProcesses cluster) {
    this.fake = fake;
    this.cluster = cluster;
  }

  /** The shared cluster, started now if there is none or the last one lost a node; the caller must {@link #release}. */
  static synchronized SharedAccountingCluster acquire() {
    if (current != null && !current.healthy()) {
      current.cancelIdleClose();
      if (current.users == 0) {
        current.stop();
      }
      current = null;
    }
    if (current == null) {
      current = start();
    }
    current.cancelIdleClose();
    current.users++;
    return current;
  }

  /** Ends one user's hold; the last one leaves the cluster as it found it and schedules its stop. */
  static synchronized void release(SharedAccountingCluster shared) {
    shared.cluster.nodes().stream().filter(NodeProcess::isAlive).forEach(NodeProcess::resume);
    shared.fake.setBehaviour(Behaviour.defaults());
    shared.fake.clearRequests();
    shared.users--;
    if (shared.users > 0) {
      return;
    }
    if (shared != current) {
      shared.stop();
      return;
    }
    shared.idleClose = CLOSER.schedule(SharedAccountingCluster::stopIfIdle, IDLE_SECONDS, TimeUnit.SECONDS);
  }

  /** Stops the shared cluster now if nobody holds it (a test is about to start nodes of its own). */
  static synchronized void stopIfIdle() {
    if (current != null && current.users == 0) {
      current.cancelIdleClose();
      current.stop();
      current = null;
    }
  }

  private static SharedAccountingCluster start() {
    FakeProvider fake = FakeProvider.start(FakeProviderSettings.defaults());
    try {
      ClusterOfProcesses cluster = ClusterOfProcesses.start(
          Collections.nCopies(NODES, new NodeSpec(null, Map.of(), Map.of())), TestCassandra.contactPoint(),
          fake.url(), SETTINGS, Path.of("target", "accounting-shared-" + ProcessHandle.current().pid()));
      return new SharedAccountingCluster(fake, cluster);
    } catch (RuntimeException | Error e) {
      fake.stop();
      throw e;
    }
  }

  /** Every node still runs and none was downed (a downed node leaves the cluster for good). */
  private boolean healthy() {
    return cluster.nodes().stream().allMatch(n -> n.isAlive() && !n.logged("SBR took decision"));
  }

  private void cancelIdleClose() {
    if (idleClose != null) {
      idleClose.cancel(false);
      idleClose = null;
    }
  }

  private void stop() {
    try {
      cluster.close();
    } finally {
      fake.stop();
    }
  }
}
