package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node-local key directory on a real single-node cluster with the registry on Cassandra. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyDirectoryTest {
  private static final Duration ASK = Duration.ofSeconds(30);
  private static final Duration STARTUP = Duration.ofSeconds(90);

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("KeyDirectoryTest").withCustomConfig(TestCassandra.config("")).build();

  private final AtomicInteger directories = new AtomicInteger();

  @BeforeAll
  void joinClusterAndStartRegistry() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(30), () -> {
      assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
      return null;
    });
    KeyRegistry.init(testKit.system());
  }

  /** A directory on the registry's topic; with a long refresh interval only pushes keep it current. */
  private KeyDirectory startDirectory(Duration refreshInterval) throws Exception {
    directories.incrementAndGet();
    return startDirectory(refreshInterval, KeyRegistry.TOPIC_NAME);
  }

  private KeyDirectory startDirectory(Duration refreshInterval, String topic) throws Exception {
    KeyDirectory directory = KeyDirectory.start(testKit.system(), new KeyDirectorySettings(
        Duration.ofSeconds(10), refreshInterval, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(2),
        topic));
    directory.ready().toCompletableFuture().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    return directory;
  }

  private String newTenant() throws Exception {
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(KeyRegistry.ref(testKit.system()),
            replyTo -> new KeyRegistry.CreateTenant(tenant, "Test tenant", replyTo), ASK, testKit.scheduler())
        .toCompletableFuture().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    return tenant;
  }

  private CreatedKey newKey(String tenant) throws Exception {
    return AskPattern.<KeyRegistry.Command, CreatedKey>askWithStatus(KeyRegistry.ref(testKit.system()),
            replyTo -> new KeyRegistry.CreateKey(tenant, "test key", List.of(), null, replyTo), ASK, testKit.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private KeyInfo revoke(KeyInfo key) throws Exception {
    return AskPattern.<KeyRegistry.Command, KeyInfo>askWithStatus(KeyRegistry.ref(testKit.system()),
            replyTo -> new KeyRegistry.RevokeKey(key.tenantId(), key.keyId(), replyTo), ASK, testKit.scheduler())
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private void awaitKey(KeyDirectory directory, String hash, boolean revoked, Duration max) {
    testKit.createTestProbe().awaitAssert(max, Duration.ofMillis(20), () -> {
      assertThat(directory.lookup(hash)).hasValueSatisfying(k -> assertThat(k.revoked()).isEqualTo(revoked));
      return null;
    });
  }

  @Test
  void a_directory_started_after_a_key_was_created_knows_it_once_ready() throws Exception {
    CreatedKey key = newKey(newTenant());

    KeyDirectory directory = startDirectory(Duration.ofHours(1));

    assertThat(directory.lookup(ApiKeys.sha256Hex(key.secret()))).contains(key.info());
    assertThat(directory.lookup(ApiKeys.sha256Hex("tg_not_a_key_0123456789"))).isEmpty();
  }

  @Test
  void a_created_key_is_found_and_a_revoked_key_is_seen_revoked_within_one_second() throws Exception {
    KeyDirectory directory = startDirectory(Duration.ofHours(1));
    String tenant = newTenant();

    CreatedKey key = newKey(tenant);
    String hash = ApiKeys.sha256Hex(key.secret());
    awaitKey(directory, hash, false, Duration.ofSeconds(10));
    assertThat(directory.lookup(hash).orElseThrow().tenantId()).isEqualTo(tenant);

    revoke(key.info());
    awaitKey(directory, hash, true, Duration.ofSeconds(1));
  }

  @Test
  void an_update_that_skips_a_version_makes_the_directory_reload_the_truth() throws Exception {
    KeyDirectory directory = startDirectory(Duration.ofHours(1));
    CreatedKey key = newKey(newTenant());
    String hash = ApiKeys.sha256Hex(key.secret());
    awaitKey(directory, hash, false, Duration.ofSeconds(10));
    long truth = directory.version();
    ActorRef<Topic.Command<RegistryUpdate>> forger = forger();

    // A well-formed update the registry never made: the directory has no way to tell, and applies it.
    forger.tell(Topic.publish(new RegistryUpdate(truth + 1, key.info().revoke(key.info().createdAt()), truth)));
    awaitKey(directory, hash, true, Duration.ofSeconds(5));
    // Then an update that does not follow what the directory knows: it must re-load the snapshot.
    forger.tell(Topic.publish(new RegistryUpdate(truth + 10, key.info(), truth + 9)));

    awaitKey(directory, hash, false, Duration.ofSeconds(10));
    assertThat(directory.version()).isGreaterThanOrEqualTo(truth).isLessThan(truth + 10);
    testKit.stop(forger);
  }

  @Test
  void a_directory_that_gets_no_pushes_still_converges_through_the_periodic_refresh() throws Exception {
    // Listening on a topic nobody publishes to: every change must come from a snapshot reload.
    KeyDirectory directory = startDirectory(Duration.ofMillis(300), "unused-" + UUID.randomUUID());
    CreatedKey key = newKey(newTenant());
    String hash = ApiKeys.sha256Hex(key.secret());

    awaitKey(directory, hash, false, Duration.ofSeconds(10));
    revoke(key.info());

    awaitKey(directory, hash, true, Duration.ofSeconds(10));
  }

  /** A topic actor of the test's own, once it knows every directory's topic instance. */
  private ActorRef<Topic.Command<RegistryUpdate>> forger() {
    ActorRef<Topic.Command<RegistryUpdate>> topic =
        testKit.spawn(Topic.create(RegistryUpdate.class, KeyRegistry.TOPIC_NAME));
    TestProbe<Topic.TopicStats> stats = testKit.createTestProbe();
    stats.awaitAssert(Duration.ofSeconds(10), () -> {
      topic.tell(Topic.getTopicStats(stats.getRef()));
      assertThat(stats.receiveMessage().topicInstanceCount()).isGreaterThanOrEqualTo(directories.get());
      return null;
    });
    return topic;
  }
}
