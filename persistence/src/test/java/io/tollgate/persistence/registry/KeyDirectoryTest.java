package io.tollgate.persistence.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.tollgate.persistence.schema.PersistenceSchema;
import io.tollgate.persistence.testing.TestCassandra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node's key directory on a real single-node cluster with the key tables on Cassandra: it loads
 * nothing, reads keys on first use, and learns creations and revocations from pushes or, when it
 * hears no pushes, from the change log.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyDirectoryTest {
  private static final Duration ASK = Duration.ofSeconds(30);
  private static final Duration REACH = Duration.ofSeconds(1);

  @JUnit5TestKit
  ActorTestKit testKit =
      new JUnit5TestKitBuilder().withName("KeyDirectoryTest").withCustomConfig(TestCassandra.config("")).build();

  private KeyStore store;
  private KeyAdmin admin;

  @BeforeAll
  void startRegistryAndKeyTables() throws Exception {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertThat(cluster.selfMember().status()).isEqualTo(MemberStatus.up());
      return null;
    });
    PersistenceSchema.ensure(testKit.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
    KeyRegistry.init(testKit.system());
    store = KeyStore.create(testKit.system());
    store.ready().toCompletableFuture().get(120, TimeUnit.SECONDS);
    admin = new KeyAdmin(testKit.system(), store, KeyDirectory.start(testKit.system(), store), ASK);
  }

  /** A directory with the shipped settings, or (deaf) on a topic nobody publishes to, with refusals kept an hour. */
  private KeyDirectory directory(boolean deaf) throws Exception {
    KeyDirectorySettings settings = KeyDirectorySettings.from(ConfigFactory.load());
    if (deaf) {
      settings = new KeyDirectorySettings(settings.maxKeys(), settings.maxRefusals(),
          Duration.ofHours(1), settings.maxRecentChanges(), settings.recentChangesTtl(), settings.maxConcurrentReads(),
          settings.catchUpInterval(), settings.catchUpOverlap(), settings.changeLogRetention(), "nobody-" + UUID.randomUUID());
    } else {
      settings = settings.withCatchUpInterval(Duration.ofHours(1));
    }
    KeyDirectory directory = KeyDirectory.start(testKit.system(), store, settings);
    directory.ready().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return directory;
  }

  private String newTenant() throws Exception {
    String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    AskPattern.<KeyRegistry.Command, TenantInfo>askWithStatus(KeyRegistry.ref(testKit.system()),
            replyTo -> new KeyRegistry.CreateTenant(tenant, "Test tenant", replyTo), ASK, testKit.scheduler())
        .toCompletableFuture().get(90, TimeUnit.SECONDS);
    return tenant;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
  }

  private void awaitLookup(KeyDirectory directory, String hash, KeyLookup.Status status) {
    testKit.createTestProbe().awaitAssert(REACH, Duration.ofMillis(20), () -> {
      assertThat(directory.lookup(hash).toCompletableFuture().get(1, TimeUnit.SECONDS).status()).isEqualTo(status);
      return null;
    });
  }

  @Test
  void a_new_directory_loads_nothing_and_reads_a_key_on_first_use() throws Exception {
    CreatedKey key = await(admin.create(newTenant(), "k", List.of(), null, null));

    KeyDirectory directory = directory(false);

    assertThat(directory.activeKeysInMemory()).isZero();
    String hash = ApiKeys.sha256Hex(key.secret());
    assertThat(directory.cached(hash)).isNull();
    assertThat(await(directory.lookup(hash)).key()).isEqualTo(key.info());
    assertThat(directory.cached(hash).key()).isEqualTo(key.info());
    assertThat(await(directory.lookup(ApiKeys.sha256Hex("tg_not_a_key_0123456789")))).isEqualTo(KeyLookup.UNKNOWN);
  }

  @Test
  void a_pushed_revocation_reaches_a_directory_within_a_second() throws Exception {
    KeyDirectory directory = directory(false);
    String tenant = newTenant();
    CreatedKey key = await(admin.create(tenant, "k", List.of(), null, null));
    String hash = ApiKeys.sha256Hex(key.secret());
    assertThat(await(directory.lookup(hash)).active()).isTrue();

    await(admin.revoke(tenant, key.info().keyId()));

    awaitLookup(directory, hash, KeyLookup.Status.REVOKED);
  }

  @Test
  void a_revocation_whose_push_was_missed_comes_from_the_change_log_within_a_second() throws Exception {
    KeyDirectory directory = directory(true);
    String tenant = newTenant();
    CreatedKey key = await(admin.create(tenant, "k", List.of(), null, null));
    String hash = ApiKeys.sha256Hex(key.secret());
    assertThat(await(directory.lookup(hash)).active()).isTrue();

    await(admin.revoke(tenant, key.info().keyId()));

    awaitLookup(directory, hash, KeyLookup.Status.REVOKED);
  }

  @Test
  void a_refused_secret_is_accepted_once_created_even_when_its_push_was_missed() throws Exception {
    KeyDirectory directory = directory(true);
    String tenant = newTenant();
    String preset = "tg_later_" + UUID.randomUUID().toString().replace("-", "");
    String hash = ApiKeys.sha256Hex(preset);
    assertThat(await(directory.lookup(hash))).isEqualTo(KeyLookup.UNKNOWN);

    await(admin.create(tenant, "k", List.of(), preset, null));

    awaitLookup(directory, hash, KeyLookup.Status.ACTIVE);
  }
}
