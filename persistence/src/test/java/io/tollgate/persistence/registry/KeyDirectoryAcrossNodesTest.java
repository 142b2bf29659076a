package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two nodes in one JVM: a revocation made through one node reaches the other node's directory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyDirectoryAcrossNodesTest {
  private static final Duration ASK = Duration.ofSeconds(30);

  private ActorTestKit first;
  private ActorTestKit second;

  @BeforeAll
  void startTwoNodeCluster() {
    first = ActorTestKit.create("KeyDirectoryAcrossNodesTest", TestCassandra.config(""));
    second = ActorTestKit.create("KeyDirectoryAcrossNodesTest", TestCassandra.config(""));
    Cluster.get(first.system()).manager().tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    Cluster.get(second.system()).manager().tell(Join.create(Cluster.get(first.system()).selfMember().address()));
    TestProbe<Object> probe = first.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(30), () -> {
      assertThat(Cluster.get(first.system()).state().getMembers())
          .hasSize(2)
          .allSatisfy(m -> assertThat(m.status()).isEqualTo(MemberStatus.up()));
      return null;
    });
    KeyRegistry.init(first.system());
    KeyRegistry.init(second.system());
  }

  @AfterAll
  void stopCluster() {
    if (second != null) {
      second.shutdownTestKit();
    }
    if (first != null) {
      first.shutdownTestKit();
    }
  }

  @Test
  void a_key_revoked_through_one_node_is_refused_on_the_other_within_one_second() throws Exception {
    KeyDirectory onSecond = KeyDirectory.start(second.system(), Duration.ofSeconds(10));
    onSecond.ready().toCompletableFuture().get(90, TimeUnit.SECONDS);
    // Pushes only flow once the topics found each other (receptionist gossip): wait for that, not for time.
    awaitTopicDiscovery();
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(KeyRegistry.ref(first.system()),
            replyTo -> new KeyRegistry.CreateTenant(tenant, "Across nodes", replyTo), ASK, first.scheduler())
        .toCompletableFuture().get(90, TimeUnit.SECONDS);
    CreatedKey key = AskPattern.<KeyRegistry.Command, CreatedKey>askWithStatus(KeyRegistry.ref(first.system()),
            replyTo -> new KeyRegistry.CreateKey(tenant, "k", List.of(), null, replyTo), ASK, first.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
    String hash = ApiKeys.sha256Hex(key.secret());
    awaitRevoked(onSecond, hash, false, Duration.ofSeconds(10));

    AskPattern.<KeyRegistry.Command, KeyInfo>askWithStatus(KeyRegistry.ref(first.system()),
            replyTo -> new KeyRegistry.RevokeKey(tenant, key.info().keyId(), replyTo), ASK, first.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);

    awaitRevoked(onSecond, hash, true, Duration.ofSeconds(1));
  }

  private void awaitRevoked(KeyDirectory directory, String hash, boolean revoked, Duration max) {
    second.createTestProbe().awaitAssert(max, Duration.ofMillis(20), () -> {
      assertThat(directory.lookup(hash)).hasValueSatisfying(k -> assertThat(k.revoked()).isEqualTo(revoked));
      return null;
    });
  }

  /** Waits until the first node's registry topic has discovered the second node's subscribed topic. */
  private void awaitTopicDiscovery() {
    TestProbe<Topic.TopicStats> stats = first.createTestProbe();
    stats.awaitAssert(Duration.ofSeconds(30), () -> {
      RegistryTopic.get(first.system()).tell(Topic.getTopicStats(stats.getRef()));
      assertThat(stats.receiveMessage().topicInstanceCount()).isGreaterThanOrEqualTo(1);
      return null;
    });
  }
}
